package io.depthflow.sources.venue.kraken;

import org.apache.flink.annotation.Internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.simulator.FeedContext;
import io.depthflow.sources.simulator.FeedSession;
import io.depthflow.sources.simulator.MarketBook;
import io.depthflow.sources.simulator.ScriptSettings;
import io.depthflow.sources.simulator.ScriptedFeed;
import io.depthflow.sources.simulator.StreamDialect;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.WireText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Kraken WebSocket v2 in the stream simulator, on {@code ws://127.0.0.1:P/kraken/v2}: on connect a
 * {@code status} message; {@code {"method":"subscribe","params":{"channel":"book","symbol":[..],
 * "depth":N}}} answers one ack per symbol then a snapshot of {@code depth} levels (10, 25, 100,
 * 500, 1000; default 10) with its CRC32 checksum; then updates with checksums, truncated to the
 * depth as Kraken does ({@link KrakenBookView}); {@code unsubscribe}, {@code ping} → {@code pong};
 * a heartbeat after a second without messages; errors as {@code "success":false}. Faults: {@link
 * StreamFault#DROP_MESSAGE} withholds the next update (the subscriber's book silently diverges and
 * a later checksum fails); {@link StreamFault#CORRUPT_CHECKSUM} sends the next update with a wrong
 * checksum. With the simulator option {@link #NUMBERS_AS_STRINGS} {@code true}, prices and
 * quantities are JSON strings instead of numbers.
 */
@Internal
public final class KrakenStreamDialect implements StreamDialect {

    public static final KrakenStreamDialect INSTANCE = new KrakenStreamDialect();

    /** Simulator option: Kraken prices and quantities as JSON strings ({@code "true"}). */
    public static final String NUMBERS_AS_STRINGS = "kraken.numbers-as-strings";

    /** Levels per side of a Kraken book: room for the deepest subscription (1000). */
    public static final int LEVELS = 1_050;

    private static final ObjectMapper JSON = new ObjectMapper();

    private KrakenStreamDialect() {}

    @Override
    public String path() {
        return "/kraken/v2";
    }

    @Override
    public FeedSession open(FeedContext context) {
        return new Session(context, "true".equals(context.option(NUMBERS_AS_STRINGS)));
    }

    @Override
    public ScriptedFeed script(ScriptSettings settings) {
        return new KrakenScriptedFeed(settings);
    }

    @Override
    public MarketBook newBook(String market, SplittableRandom rnd) {
        return book(market, rnd, LEVELS);
    }

    /**
     * A book as Kraken's pairs trade: BTC/USD with 1 price decimal, ETH/USD and others with 2
     * (pair_decimals), 8 quantity decimals (lot_decimals); {@code levels} per side.
     */
    public static MarketBook book(String market, SplittableRandom rnd, int levels) {
        if (Markets.BTC_USD.equals(market)) {
            return new MarketBook(1, 8, 1, 900_000, 50_000_000, levels, rnd);
        }
        return MarketBook.standard(market, rnd, levels);
    }

    private static final class Session implements FeedSession {
        private final FeedContext context;
        private final boolean numbersAsStrings;
        private final Map<String, KrakenBookView> views = new LinkedHashMap<>();
        private long lastSent = System.nanoTime();

        Session(FeedContext context, boolean numbersAsStrings) {
            this.context = context;
            this.numbersAsStrings = numbersAsStrings;
        }

        private void send(String text) {
            context.send(text);
            lastSent = System.nanoTime();
        }

        @Override
        public void onOpen(long nowMillis) {
            send(KrakenFeedMessages.status(context.id()));
        }

        @Override
        public void onText(String text, long now) {
            JsonNode m;
            try {
                m = JSON.readTree(text);
            } catch (IOException e) {
                m = null;
            }
            if (m == null || !m.isObject()) {
                send(
                        KrakenFeedMessages.error(
                                "unknown", null, "EGeneral:Invalid arguments", now, null));
                return;
            }
            String method = m.path("method").asText("");
            Long reqId = m.has("req_id") ? m.get("req_id").asLong() : null;
            if ("ping".equals(method)) {
                send(KrakenFeedMessages.pong(reqId, now));
                return;
            }
            JsonNode params = m.path("params");
            if (!"subscribe".equals(method) && !"unsubscribe".equals(method)) {
                send(KrakenFeedMessages.error(method, null, "Method not found", now, reqId));
                return;
            }
            if (!"book".equals(params.path("channel").asText())) {
                send(KrakenFeedMessages.error(method, null, "Channel not supported", now, reqId));
                return;
            }
            int depth = params.path("depth").asInt(10);
            if (!KrakenVenue.DEPTHS.contains(depth)) {
                send(
                        KrakenFeedMessages.error(
                                method, null, "EGeneral:Invalid arguments:depth", now, reqId));
                return;
            }
            for (JsonNode s : params.path("symbol")) {
                String symbol = s.asText();
                if (!context.serves(symbol)) {
                    send(
                            KrakenFeedMessages.error(
                                    method,
                                    symbol,
                                    "Currency pair not supported " + symbol,
                                    now,
                                    reqId));
                } else if ("subscribe".equals(method)) {
                    if (views.containsKey(symbol)) {
                        send(
                                KrakenFeedMessages.error(
                                        method, symbol, "Already subscribed", now, reqId));
                        continue;
                    }
                    KrakenBookView view =
                            new KrakenBookView(
                                    symbol, context.book(symbol), depth, numbersAsStrings);
                    views.put(symbol, view);
                    send(KrakenFeedMessages.ack("subscribe", symbol, depth, now, reqId));
                    send(view.snapshot(WireText.micros(now)));
                } else {
                    KrakenBookView view = views.remove(symbol);
                    if (view == null) {
                        send(
                                KrakenFeedMessages.error(
                                        method, symbol, "Subscription Not Found", now, reqId));
                    } else {
                        send(KrakenFeedMessages.ack("unsubscribe", symbol, view.depth, now, reqId));
                    }
                }
            }
        }

        /**
         * A silent connection's view is not advanced: if it ever speaks again, its next update
         * carries every change meanwhile.
         */
        @Override
        public void onStep(
                String market, MarketBook book, long nowMillis, Deque<StreamFault> faults) {
            KrakenBookView view = views.get(market);
            String update = view == null ? null : view.update(WireText.micros(nowMillis));
            if (update == null) {
                return;
            }
            StreamFault fault = faults.poll();
            if (fault == StreamFault.DROP_MESSAGE) {
                return;
            }
            send(
                    fault == StreamFault.CORRUPT_CHECKSUM
                            ? KrakenFeedMessages.withWrongChecksum(update)
                            : update);
        }

        /** A heartbeat after a second without messages. */
        @Override
        public void onSecond(long nowMillis) {
            if (lastSent < System.nanoTime() - 1_000_000_000L) {
                send(KrakenFeedMessages.heartbeat());
            }
        }

        @Override
        public List<String> markets() {
            return new ArrayList<>(views.keySet());
        }
    }
}
