package io.depthflow.sources.venue.gemini;

import org.apache.flink.annotation.Internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.sources.venue.SimBook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The simulator's Gemini dialect: one market data v2 connection's side of the protocol, in the
 * exact wire format, independent of the transport.
 *
 * <ul>
 *   <li>{@code {"type":"subscribe","subscriptions":[{"name":"l2","symbols":[..]}]}} → for each
 *       symbol its whole book as the first {@code l2_updates} ({@code changes} of every level, bids
 *       best first then asks, with empty {@code trades} and {@code auction_events}); no ack, as on
 *       the live feed. An unknown symbol or feed → {@code {"result":"error","reason":
 *       "InvalidJson"|"InvalidSymbol",...}}.
 *   <li>{@link #onStep}: {@code {"type":"l2_updates","symbol":..,"changes":[[side,price,qty],..]}}
 *       with the new total of every level the step touched ({@code "0"} = removed).
 *   <li>{@code unsubscribe} stops a symbol (no answer); {@link #heartbeat} → {@code
 *       {"type":"heartbeat","timestamp":MS}}, every 5 s on the live feed.
 * </ul>
 *
 * Fault: {@link #dropNextUpdate}: the market's next update is not sent. Nothing in the protocol
 * shows it (no sequence, no checksum): the client's book silently differs from the venue's until
 * the next subscription; a crossing is the only visible symptom. Not thread-safe.
 */
@Internal
public final class GeminiFeedSession {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, SimBook> books;
    private final Set<String> subscribed = new LinkedHashSet<>();
    private final Set<String> drop = new LinkedHashSet<>();
    private final StringBuilder out = new StringBuilder(4096);

    /**
     * @param books the simulated book of a canonical market, or null when there is none
     */
    public GeminiFeedSession(Function<String, SimBook> books) {
        this.books = books;
    }

    /** The answers to one client message, in order. */
    public List<String> onText(String text) {
        List<String> replies = new ArrayList<>();
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (Exception e) {
            replies.add(GeminiWire.error("InvalidJson", "Failed to parse the request"));
            return replies;
        }
        String type = m.path("type").asText("");
        if (!"subscribe".equals(type) && !"unsubscribe".equals(type)) {
            replies.add(GeminiWire.error("InvalidJson", "Unknown request type '" + type + "'"));
            return replies;
        }
        for (JsonNode sub : m.path("subscriptions")) {
            if (!"l2".equals(sub.path("name").asText())) {
                replies.add(
                        GeminiWire.error(
                                "InvalidJson",
                                "Unknown subscription '" + sub.path("name").asText() + "'"));
                continue;
            }
            for (JsonNode s : sub.path("symbols")) {
                String symbol = s.asText();
                String market;
                try {
                    market = GeminiSymbols.market(symbol);
                } catch (IllegalArgumentException e) {
                    market = null;
                }
                SimBook book = market == null ? null : books.apply(market);
                if (book == null) {
                    replies.add(
                            GeminiWire.error(
                                    "InvalidSymbol",
                                    "Supplied value '" + symbol + "' is not a valid symbol"));
                } else if ("subscribe".equals(type)) {
                    if (subscribed.add(market)) {
                        replies.add(initial(market, book));
                    }
                } else {
                    subscribed.remove(market);
                }
            }
        }
        return replies;
    }

    /**
     * The update for the market's latest book step; null when not subscribed, nothing changed or
     * dropped.
     */
    public String onStep(String market) {
        SimBook book = books.apply(market);
        if (!subscribed.contains(market) || book == null || book.changeCount() == 0) {
            return null;
        }
        if (drop.remove(market)) {
            return null;
        }
        begin(market);
        Set<Long> bids = new LinkedHashSet<>();
        Set<Long> asks = new LinkedHashSet<>();
        for (int i = 0; i < book.changeCount(); i++) {
            (book.changedBid(i) ? bids : asks).add(book.changedPrice(i));
        }
        boolean first = true;
        for (long p : bids) {
            first = change(first, true, p, book.bids().getOrDefault(p, 0L), book);
        }
        for (long p : asks) {
            first = change(first, false, p, book.asks().getOrDefault(p, 0L), book);
        }
        return out.append("]}").toString();
    }

    public String heartbeat(long nowMs) {
        return "{\"type\":\"heartbeat\",\"timestamp\":" + nowMs + "}";
    }

    /** Whether {@code market} is subscribed on this connection. */
    public boolean subscribed(String market) {
        return subscribed.contains(market);
    }

    /** The subscribed markets, in subscription order. */
    public List<String> markets() {
        return List.copyOf(subscribed);
    }

    /** The market's next update is not sent. */
    public void dropNextUpdate(String market) {
        drop.add(market);
    }

    private String initial(String market, SimBook book) {
        begin(market);
        boolean first = true;
        for (Map.Entry<Long, Long> e : book.bids().entrySet()) {
            first = change(first, true, e.getKey(), e.getValue(), book);
        }
        for (Map.Entry<Long, Long> e : book.asks().entrySet()) {
            first = change(first, false, e.getKey(), e.getValue(), book);
        }
        return out.append("],\"trades\":[],\"auction_events\":[]}").toString();
    }

    private void begin(String market) {
        out.setLength(0);
        out.append("{\"type\":\"l2_updates\",\"symbol\":\"")
                .append(GeminiSymbols.wsSymbol(market))
                .append("\",\"changes\":[");
    }

    private boolean change(boolean first, boolean bid, long price, long size, SimBook book) {
        if (!first) {
            out.append(',');
        }
        out.append(bid ? "[\"buy\",\"" : "[\"sell\",\"");
        GeminiWire.appendDecimal(out, price, book.priceScale());
        out.append("\",\"");
        GeminiWire.appendDecimal(out, size, book.sizeScale());
        out.append("\"]");
        return false;
    }
}
