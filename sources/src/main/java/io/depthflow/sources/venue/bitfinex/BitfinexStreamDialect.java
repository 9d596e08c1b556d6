package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.simulator.FeedContext;
import io.depthflow.sources.simulator.FeedSession;
import io.depthflow.sources.simulator.MarketBook;
import io.depthflow.sources.simulator.ScriptSettings;
import io.depthflow.sources.simulator.ScriptedFeed;
import io.depthflow.sources.simulator.StreamDialect;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.venue.SimBooks;

import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The stream simulator's Bitfinex WebSocket v2 feed on {@code /bitfinex/ws/2}: one {@link
 * BitfinexFeedSession} per connection. Faults: {@link StreamFault#DROP_MESSAGE} drops the next
 * level message of a subscribed market and spends its sequence number (the client sees a gap; its
 * book would also fail the next checksum); {@link StreamFault#CORRUPT_CHECKSUM} sends the next
 * {@code cs} of the market with a wrong value. A fault is taken only by a step that has a message
 * for it. Heartbeats {@code [CHAN_ID,"hb",SEQ]} every {@value Bitfinex#HEARTBEAT_SECONDS} s; a
 * silent connection's steps spend their sequence numbers, so one that speaks again shows a gap.
 * Books: BTC/USD and ETH/USD on Bitfinex's P0 grid (five significant digits), 300 levels per side
 * (room for {@code len} 250).
 */
@Internal
public final class BitfinexStreamDialect implements StreamDialect {

    @Override
    public String path() {
        return "/bitfinex/ws/2";
    }

    @Override
    public MarketBook newBook(String market, SplittableRandom rnd) {
        return book(market, rnd, 300);
    }

    /** A book as Bitfinex's pairs trade, {@code levels} per side. */
    static MarketBook book(String market, SplittableRandom rnd, int levels) {
        if ("BTC/USD".equals(market)) {
            // $1 steps near 90,000 (five significant digits), 8 amount decimals.
            return new MarketBook(0, 8, 1, 90_000, 30_000_000, levels, rnd);
        }
        if ("ETH/USD".equals(market)) {
            return new MarketBook(1, 8, 1, 30_000, 1_000_000_000, levels, rnd);
        }
        return MarketBook.standard(market, rnd, levels);
    }

    @Override
    public ScriptedFeed script(ScriptSettings settings) {
        return new BitfinexScriptedFeed(settings);
    }

    @Override
    public FeedSession open(FeedContext context) {
        BitfinexFeedSession session =
                new BitfinexFeedSession(
                        m -> context.serves(m) ? SimBooks.of(context.book(m)) : null,
                        1000 * context.id() + 1);
        return new FeedSession() {
            private long seconds;

            @Override
            public void onOpen(long nowMillis) {
                context.send(session.onOpen());
            }

            @Override
            public void onText(String text, long nowMillis) {
                session.onText(text, nowMillis).forEach(context::send);
            }

            @Override
            public void onStep(
                    String market, MarketBook book, long nowMillis, Deque<StreamFault> faults) {
                if (!session.subscribed(market)) {
                    return;
                }
                StreamFault fault = faults.peek();
                if (fault == StreamFault.REQUEST_RECONNECT) {
                    // Not a Bitfinex message (its reconnect request is info 20051): taken and
                    // ignored.
                    faults.poll();
                    fault = null;
                }
                if (fault == StreamFault.DROP_MESSAGE) {
                    session.dropNextUpdate(market);
                } else if (fault == StreamFault.CORRUPT_CHECKSUM) {
                    session.corruptNextChecksum(market);
                }
                List<String> messages = session.onStep(market);
                if (fault == StreamFault.DROP_MESSAGE || fault == StreamFault.CORRUPT_CHECKSUM) {
                    if (session.faultPending(market)) {
                        session.cancelFaults(market);
                    } else {
                        faults.poll();
                    }
                }
                messages.forEach(context::send);
            }

            @Override
            public void onSilentStep(String market, MarketBook book) {
                // The view moves and the sequence numbers are spent, nothing is sent.
                session.onStep(market);
            }

            @Override
            public void onSecond(long nowMillis) {
                if (++seconds % Bitfinex.HEARTBEAT_SECONDS == 0) {
                    session.heartbeats().forEach(context::send);
                }
            }

            @Override
            public List<String> markets() {
                return session.markets();
            }
        };
    }
}
