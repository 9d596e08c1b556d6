package io.depthflow.sources.venue.bitstamp;

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
import io.depthflow.sources.simulator.WireText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Bitstamp's WebSocket API v2 in the stream simulator, on {@code ws://127.0.0.1:P/bitstamp}:
 *
 * <ul>
 *   <li>{@code {"event":"bts:subscribe","data":{"channel":"order_book_btcusd"}}} answers {@code
 *       bts:subscription_succeeded} and the book at once; then, after every step of the book, an
 *       {@code order_book_btcusd} {@code data} message with the top 100 levels per side;
 *   <li>{@code bts:unsubscribe} answers {@code bts:unsubscription_succeeded}; {@code bts:heartbeat}
 *       answers {@code bts:heartbeat} with {@code "status":"success"}; anything else is a {@code
 *       bts:error} ({@code "Incorrect JSON format."}, {@code "Bad subscription string."}).
 * </ul>
 *
 * Faults: {@link StreamFault#DROP_MESSAGE} withholds the next book message (the one after it is a
 * whole book again, so the client's book heals by itself); {@link StreamFault#CORRUPT_CHECKSUM} is
 * taken and ignored (no checksum on this feed); {@link StreamFault#REQUEST_RECONNECT} sends {@code
 * bts:request_reconnect} before the next book message; disconnect and stale are the simulator's.
 */
@Internal
public final class BitstampStreamDialect implements StreamDialect {

    public static final BitstampStreamDialect INSTANCE = new BitstampStreamDialect();

    private static final ObjectMapper JSON = new ObjectMapper();

    private BitstampStreamDialect() {}

    @Override
    public String path() {
        return "/bitstamp";
    }

    @Override
    public FeedSession open(FeedContext context) {
        return new Session(context);
    }

    /**
     * BTC/USD in whole dollars, ETH/USD with one decimal, 8 amount decimals; 300 levels per side.
     */
    @Override
    public MarketBook newBook(String market, SplittableRandom rnd) {
        return book(market, rnd, 300);
    }

    /** A book as Bitstamp's pairs trade ({@link #newBook}), {@code levels} per side. */
    static MarketBook book(String market, SplittableRandom rnd, int levels) {
        int decimals = BitstampRestDialect.decimals(market);
        long mid = decimals == 0 ? 90_000 : decimals == 1 ? 30_000 : 10_000;
        long meanSize =
                decimals == 0 ? 25_000_000L : decimals == 1 ? 900_000_000L : 20_000_000_000L;
        return new MarketBook(decimals, 8, 1, mid, meanSize, levels, rnd);
    }

    @Override
    public ScriptedFeed script(ScriptSettings settings) {
        return new BitstampScriptedFeed(settings);
    }

    /** The answer to the client's {@code bts:heartbeat}. */
    static final String HEARTBEAT_REPLY =
            "{\"event\":\"bts:heartbeat\",\"channel\":\"\",\"data\":{\"status\":\"success\"}}";

    /** Bitstamp's request that the client reconnect (maintenance). */
    static final String REQUEST_RECONNECT =
            "{\"event\":\"bts:request_reconnect\",\"channel\":\"\",\"data\":\"\"}";

    /** The ack of a {@code bts:subscribe} or {@code bts:unsubscribe} of {@code market}'s book. */
    static String ack(String event, String market) {
        return "{\"event\":\"bts:"
                + event
                + "\",\"channel\":\""
                + BitstampVenue.bookChannel(market)
                + "\",\"data\":{}}";
    }

    /**
     * The {@code data} message of one book: its top {@link BitstampVenue#STREAM_LEVELS} levels per
     * side.
     */
    static String bookMessage(String market, MarketBook book, long nowMillis) {
        StringBuilder json = new StringBuilder(8_000);
        long micros = nowMillis * 1_000;
        json.append("{\"data\":{\"timestamp\":\"")
                .append(nowMillis / 1_000)
                .append("\",\"microtimestamp\":\"")
                .append(micros)
                .append("\",\"bids\":[");
        levels(json, book.bids.entrySet().iterator(), book);
        json.append("],\"asks\":[");
        levels(json, book.asks.entrySet().iterator(), book);
        json.append("]},\"channel\":\"")
                .append(BitstampVenue.bookChannel(market))
                .append("\",\"event\":\"data\"}");
        return json.toString();
    }

    private static void levels(
            StringBuilder json, Iterator<Map.Entry<Long, Long>> side, MarketBook book) {
        for (int i = 0; i < BitstampVenue.STREAM_LEVELS && side.hasNext(); i++) {
            Map.Entry<Long, Long> level = side.next();
            json.append(i == 0 ? "[\"" : ",[\"");
            WireText.appendFixed(json, level.getKey(), book.priceScale);
            json.append("\",\"");
            WireText.appendFixed(json, level.getValue(), book.sizeScale);
            json.append("\"]");
        }
    }

    private static final class Session implements FeedSession {
        private final FeedContext context;
        private final Set<String> markets = new LinkedHashSet<>();

        Session(FeedContext context) {
            this.context = context;
        }

        @Override
        public void onText(String text, long nowMillis) {
            JsonNode m;
            try {
                m = JSON.readTree(text);
            } catch (IOException e) {
                m = null;
            }
            String event = m == null ? "" : m.path("event").asText("");
            if ("bts:heartbeat".equals(event)) {
                context.send(HEARTBEAT_REPLY);
                return;
            }
            if (!"bts:subscribe".equals(event) && !"bts:unsubscribe".equals(event)) {
                error("Incorrect JSON format.");
                return;
            }
            String channel = m.path("data").path("channel").asText("");
            String market = null;
            if (channel.startsWith(BitstampWsParser.BOOK)) {
                try {
                    market =
                            BitstampSymbols.market(
                                    channel.substring(BitstampWsParser.BOOK.length()));
                } catch (IllegalArgumentException e) {
                    market = null;
                }
            }
            if (market == null || !context.serves(market)) {
                error("Bad subscription string.");
                return;
            }
            if ("bts:subscribe".equals(event)) {
                markets.add(market);
                context.send(ack("subscription_succeeded", market));
                context.send(bookMessage(market, context.book(market), nowMillis));
            } else {
                markets.remove(market);
                context.send(ack("unsubscription_succeeded", market));
            }
        }

        private void error(String message) {
            context.send(
                    "{\"event\":\"bts:error\",\"channel\":\"\",\"data\":{\"code\":null,\"message\":\""
                            + message
                            + "\"}}");
        }

        @Override
        public void onStep(
                String market, MarketBook book, long nowMillis, Deque<StreamFault> faults) {
            if (!markets.contains(market)) {
                return;
            }
            StreamFault fault = faults.poll();
            if (fault == StreamFault.DROP_MESSAGE) {
                return;
            }
            if (fault == StreamFault.REQUEST_RECONNECT) {
                context.send(REQUEST_RECONNECT);
            }
            // CORRUPT_CHECKSUM: no checksum on this feed, taken and ignored.
            context.send(bookMessage(market, book, nowMillis));
        }

        @Override
        public List<String> markets() {
            return new ArrayList<>(markets);
        }
    }
}
