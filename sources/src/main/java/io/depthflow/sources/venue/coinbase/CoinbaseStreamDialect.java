package io.depthflow.sources.venue.coinbase;

import org.apache.flink.annotation.Internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.sources.simulator.FeedContext;
import io.depthflow.sources.simulator.FeedSession;
import io.depthflow.sources.simulator.MarketBook;
import io.depthflow.sources.simulator.ScriptSettings;
import io.depthflow.sources.simulator.ScriptedFeed;
import io.depthflow.sources.simulator.StreamDialect;
import io.depthflow.sources.simulator.StreamFault;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Coinbase Advanced Trade WebSocket in the stream simulator, on {@code ws://127.0.0.1:P/coinbase}:
 * {@code {"type":"subscribe","product_ids":[..],"channel":"level2"}} answers {@code subscriptions}
 * and one {@code l2_data} snapshot per product, then updates; the {@code heartbeats} channel sends
 * one message a second; every message carries the connection's next {@code sequence_num} ({@link
 * CoinbaseFeedConnection}). Faults: {@link StreamFault#DROP_MESSAGE} withholds the next update but
 * spends its {@code sequence_num} (the next message shows a gap); {@link
 * StreamFault#CORRUPT_CHECKSUM} is taken and ignored (no checksum on this feed); a silent
 * connection's sequence numbers are spent, so one that speaks again shows a gap.
 */
@Internal
public final class CoinbaseStreamDialect implements StreamDialect {

    public static final CoinbaseStreamDialect INSTANCE = new CoinbaseStreamDialect();

    /** Levels per side of a Coinbase book (its level2 channel sends the whole book). */
    public static final int LEVELS = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private CoinbaseStreamDialect() {}

    @Override
    public String path() {
        return "/coinbase";
    }

    @Override
    public FeedSession open(FeedContext context) {
        return new Session(context);
    }

    @Override
    public ScriptedFeed script(ScriptSettings settings) {
        return new CoinbaseScriptedFeed(settings);
    }

    @Override
    public MarketBook newBook(String market, SplittableRandom rnd) {
        return book(market, rnd, LEVELS);
    }

    /**
     * A book as Coinbase's products trade: a 0.01 tick, 8 size decimals; {@code levels} per side.
     */
    public static MarketBook book(String market, SplittableRandom rnd, int levels) {
        return MarketBook.standard(market, rnd, levels);
    }

    private static final class Session implements FeedSession {
        private final FeedContext context;
        private final CoinbaseFeedConnection wire = new CoinbaseFeedConnection();
        private final Set<String> markets = new LinkedHashSet<>();
        private boolean heartbeats;

        Session(FeedContext context) {
            this.context = context;
        }

        @Override
        public void onText(String text, long now) {
            JsonNode m;
            try {
                m = JSON.readTree(text);
            } catch (IOException e) {
                m = null;
            }
            String type = m == null ? "" : m.path("type").asText("");
            String channel = m == null ? "" : m.path("channel").asText("");
            if (!"subscribe".equals(type) && !"unsubscribe".equals(type)) {
                context.send("{\"type\":\"error\",\"message\":\"Failed to parse the message\"}");
                return;
            }
            boolean subscribe = "subscribe".equals(type);
            if ("heartbeats".equals(channel)) {
                heartbeats = subscribe;
            } else if ("level2".equals(channel)) {
                List<String> added = new ArrayList<>();
                for (JsonNode p : m.path("product_ids")) {
                    String market;
                    try {
                        market = CoinbaseSymbols.market(p.asText());
                    } catch (IllegalArgumentException e) {
                        context.send(
                                "{\"type\":\"error\",\"message\":\"Failed to subscribe: invalid product id\"}");
                        return;
                    }
                    if (subscribe && markets.add(market)) {
                        added.add(market);
                    } else if (!subscribe) {
                        markets.remove(market);
                    }
                }
                context.send(wire.subscriptions(new ArrayList<>(markets), heartbeats, now));
                for (String market : added) {
                    context.send(wire.snapshot(market, context.book(market), now));
                }
                return;
            } else {
                context.send(
                        "{\"type\":\"error\",\"message\":\"Failed to subscribe: unknown channel\"}");
                return;
            }
            context.send(wire.subscriptions(new ArrayList<>(markets), heartbeats, now));
        }

        @Override
        public void onStep(
                String market, MarketBook book, long nowMillis, Deque<StreamFault> faults) {
            if (!markets.contains(market)) {
                return;
            }
            StreamFault fault = faults.peek();
            if (fault == StreamFault.CORRUPT_CHECKSUM || fault == StreamFault.REQUEST_RECONNECT) {
                faults.poll(); // no checksum and no reconnect request on this feed
                fault = null;
            }
            if (fault == StreamFault.DROP_MESSAGE) {
                faults.poll();
                wire.skip();
                return;
            }
            context.send(wire.update(market, book, nowMillis));
        }

        /** Withheld, but its sequence number is spent: a gap if the connection speaks again. */
        @Override
        public void onSilentStep(String market, MarketBook book) {
            if (markets.contains(market)) {
                wire.skip();
            }
        }

        @Override
        public void onSecond(long nowMillis) {
            if (heartbeats) {
                context.send(wire.heartbeat(nowMillis));
            }
        }

        @Override
        public List<String> markets() {
            return new ArrayList<>(markets);
        }
    }
}
