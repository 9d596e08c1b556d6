package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.venue.ConnectionSequence;

/**
 * The sequence check of one Bitfinex connection with conf flag {@code SEQ_ALL}: every array message
 * (book data, checksums, heartbeats, other channels) ends with a sequence number that counts the
 * connection's messages, one more each time (cryptofeed's Bitfinex feed checks exactly this, over
 * all channels, and reconnects on a miss). All messages of a connection must pass through one
 * instance, in arrival order. Rules:
 *
 * <ol>
 *   <li>no sequence number (-1, events): {@link Verdict#IN_ORDER}, nothing to check;
 *   <li>the first number of the connection: {@link Verdict#RESTART};
 *   <li>previous + 1: {@link Verdict#IN_ORDER};
 *   <li>higher: {@link Verdict#GAP}, {@link #missing()} messages lost: the books of the connection
 *       can no longer be trusted (reconnect);
 *   <li>lower or equal: {@link Verdict#OUT_OF_ORDER}.
 * </ol>
 */
@PublicEvolving
public final class BitfinexSequence implements ConnectionSequence {

    private long last = -1;
    private long missing;

    @Override
    public Verdict accept(long sequence) {
        missing = 0;
        if (sequence < 0) {
            return Verdict.IN_ORDER;
        }
        if (last < 0) {
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

    @Override
    public long missing() {
        return missing;
    }

    @Override
    public long last() {
        return last;
    }

    @Override
    public void reset() {
        last = -1;
        missing = 0;
    }
}
