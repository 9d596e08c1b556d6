package io.depthflow.sources.venue.gemini;

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

/**
 * The stream simulator's Gemini market data v2 feed on {@code /gemini/v2/marketdata}: one {@link
 * GeminiFeedSession} per connection, a heartbeat every {@value Gemini#HEARTBEAT_SECONDS} s. Faults:
 * {@link StreamFault#DROP_MESSAGE} drops the market's next update, which nothing on this feed
 * reveals (no sequence, no checksum); {@link StreamFault#CORRUPT_CHECKSUM} has no meaning here and
 * is taken without effect by the next update.
 */
@Internal
public final class GeminiStreamDialect implements StreamDialect {

    @Override
    public String path() {
        return "/gemini/v2/marketdata";
    }

    @Override
    public ScriptedFeed script(ScriptSettings settings) {
        return new GeminiScriptedFeed(settings);
    }

    @Override
    public FeedSession open(FeedContext context) {
        GeminiFeedSession session =
                new GeminiFeedSession(m -> context.serves(m) ? SimBooks.of(context.book(m)) : null);
        return new FeedSession() {
            private long seconds;

            @Override
            public void onText(String text, long nowMillis) {
                session.onText(text).forEach(context::send);
            }

            @Override
            public void onStep(
                    String market, MarketBook book, long nowMillis, Deque<StreamFault> faults) {
                if (!session.subscribed(market) || book.changeCount == 0) {
                    return;
                }
                StreamFault fault = faults.peek();
                if (fault == StreamFault.DROP_MESSAGE) {
                    faults.poll();
                    session.dropNextUpdate(market);
                } else if (fault == StreamFault.CORRUPT_CHECKSUM
                        || fault == StreamFault.REQUEST_RECONNECT) {
                    // Gemini has neither a checksum nor a reconnect request: taken and ignored.
                    faults.poll();
                }
                String update = session.onStep(market);
                if (update != null) {
                    context.send(update);
                }
            }

            @Override
            public void onSecond(long nowMillis) {
                if (++seconds % Gemini.HEARTBEAT_SECONDS == 0) {
                    context.send(session.heartbeat(nowMillis));
                }
            }

            @Override
            public List<String> markets() {
                return session.markets();
            }
        };
    }
}
