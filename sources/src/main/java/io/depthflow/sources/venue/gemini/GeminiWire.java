package io.depthflow.sources.venue.gemini;

import io.depthflow.sources.venue.SimBook;

import org.apache.flink.annotation.Internal;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * The simulator's Gemini REST dialect and the decimal text of both Gemini feeds: prices and
 * quantities as decimal strings without trailing zeros (as the real recording shows them: {@code
 * "0.07"}, {@code "3"}), levels of the REST book as {@code {"price","amount","timestamp"}} objects,
 * errors as {@code {"result":"error","reason":..,"message":..}}.
 */
@Internal
public final class GeminiWire {

    private GeminiWire() {}

    /** The body of {@code GET /v1/book/btcusd?limit_bids=0&limit_asks=0}: the whole book. */
    public static String restBook(SimBook book, long nowMs) {
        StringBuilder out = new StringBuilder(96 * (book.bids().size() + book.asks().size()) + 32);
        String ts = Long.toString(nowMs / 1000);
        out.append("{\"bids\":[");
        restLevels(out, book.bids().entrySet().iterator(), Integer.MAX_VALUE, book, ts);
        out.append("],\"asks\":[");
        restLevels(out, book.asks().entrySet().iterator(), Integer.MAX_VALUE, book, ts);
        return out.append("]}").toString();
    }

    /** A book whose best bid is one price unit above the best ask (the crossed-book fault). */
    public static String restCrossed(SimBook book, long nowMs) {
        String ts = Long.toString(nowMs / 1000);
        StringBuilder out = new StringBuilder("{\"bids\":[");
        restLevel(out, true, book.asks().firstKey() + 1, book.bids().firstEntry().getValue(), book, ts);
        out.append("],\"asks\":[");
        restLevels(out, book.asks().entrySet().iterator(), Integer.MAX_VALUE, book, ts);
        return out.append("]}").toString();
    }

    /** No bids (the empty-book fault). */
    public static String restWithoutBids(SimBook book, long nowMs) {
        StringBuilder out = new StringBuilder("{\"bids\":[],\"asks\":[");
        restLevels(out, book.asks().entrySet().iterator(), Integer.MAX_VALUE, book, Long.toString(nowMs / 1000));
        return out.append("]}").toString();
    }

    /** HTTP 429 body. */
    public static String rateLimited() {
        return error("RateLimited", "Requests were made too frequently. Please slow down.");
    }

    /** HTTP 400 body of an unknown symbol. */
    public static String invalidSymbol(String symbol) {
        return error("InvalidSymbol", "Supplied value '" + symbol + "' is not a valid symbol");
    }

    /** HTTP 500 body. */
    public static String serverError() {
        return error("ServerError", "An internal server error occurred");
    }

    public static String error(String reason, String message) {
        return "{\"result\":\"error\",\"reason\":\"" + reason + "\",\"message\":\"" + message.replace("\"", "'") + "\"}";
    }

    /** {@code unscaled/10^scale} without trailing zeros ({@code "0.07"}, {@code "3"}). */
    public static void appendDecimal(StringBuilder out, long unscaled, int scale) {
        out.append(BigDecimal.valueOf(unscaled, scale).stripTrailingZeros().toPlainString());
    }

    private static void restLevels(StringBuilder out, Iterator<Map.Entry<Long, Long>> it, int max, SimBook book, String ts) {
        for (int i = 0; i < max && it.hasNext(); i++) {
            Map.Entry<Long, Long> e = it.next();
            restLevel(out, i == 0, e.getKey(), e.getValue(), book, ts);
        }
    }

    private static void restLevel(StringBuilder out, boolean first, long price, long size, SimBook book, String ts) {
        if (!first) {
            out.append(',');
        }
        out.append("{\"price\":\"");
        appendDecimal(out, price, book.priceScale());
        out.append("\",\"amount\":\"");
        appendDecimal(out, size, book.sizeScale());
        out.append("\",\"timestamp\":\"").append(ts).append("\"}");
    }
}
