package io.depthflow.sources.venue.coinbase;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.venue.ConnectionSequence;

/**
 * Gap detection on Coinbase Advanced Trade's envelope {@code sequence_num}, for one WebSocket
 * connection. The docs: "increasing integer values ... with each new message being exactly one
 * sequence number greater than the one before it. Sequence numbers that are greater than one
 * integer value from the previous number indicate that a message has been dropped. Sequence numbers
 * that are less than the previous number can be ignored or represent a message that has arrived out
 * of order."
 *
 * <p>Scope: the docs do not say whether the counter is per product or per connection (exchanges.md
 * §7). depthflow treats it as per connection, counting every message on it (l2_data, heartbeats,
 * subscriptions), starting at 0 on a new connection; so all messages of one connection must pass
 * through one tracker in arrival order, and a gap says that some message of the connection was
 * lost, not which product's. Rules, in order:
 *
 * <ol>
 *   <li>no {@code sequence_num} (-1): {@link Verdict#IN_ORDER}, nothing to check;
 *   <li>first message seen, or 0 after a higher number: {@link Verdict#RESTART} (a new connection);
 *   <li>previous + 1: {@link Verdict#IN_ORDER};
 *   <li>higher: {@link Verdict#GAP}, {@link #missing()} messages lost;
 *   <li>lower or equal: {@link Verdict#OUT_OF_ORDER}: ignore the message.
 * </ol>
 */
@PublicEvolving
public final class CoinbaseSequence implements ConnectionSequence {

    private long last = -1;
    private long missing;

    @Override
    public Verdict accept(long sequence) {
        missing = 0;
        if (sequence < 0) {
            return Verdict.IN_ORDER;
        }
        if (last < 0 || (sequence == 0 && last > 0)) {
            last = sequence;
            return Verdict.RESTART;
        }
        if (sequence == last + 1) {
            last = sequence;
            return Verdict.IN_ORDER;
        }
        if (sequence > last) {
            missing = sequence - last - 1;
            last = sequence;
            return Verdict.GAP;
        }
        return Verdict.OUT_OF_ORDER;
    }

    /** Messages lost before the last {@link Verdict#GAP}. */
    @Override
    public long missing() {
        return missing;
    }

    /** The last accepted sequence number, -1 before any. */
    @Override
    public long last() {
        return last;
    }

    /** Forgets the connection (a new one starts). */
    @Override
    public void reset() {
        last = -1;
        missing = 0;
    }
}
