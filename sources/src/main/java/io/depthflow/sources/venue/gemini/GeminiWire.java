package io.depthflow.sources.venue.gemini;

import org.apache.flink.annotation.Internal;

import java.math.BigDecimal;

/**
 * The simulator's Gemini REST dialect and the decimal text of both Gemini feeds: prices and
 * quantities as decimal strings without trailing zeros (as the real recording shows them: {@code
 * "0.07"}, {@code "3"}), levels of the REST book as {@code {"price","amount","timestamp"}} objects,
 * errors as {@code {"result":"error","reason":..,"message":..}}.
 */
@Internal
public final class GeminiWire {

    private GeminiWire() {}

    /**
     * The body of {@code GET /v1/book/btcusd?limit_bids=0&limit_asks=0}: up to {@code depth} levels
     * per side as {@code {"price","amount","timestamp"}} objects.
     */
    public static String restBook(
            long[] bidPrices,
            long[] bidSizes,
            long[] askPrices,
            long[] askSizes,
            int priceScale,
            int sizeScale,
            int depth,
            long nowMs) {
        StringBuilder out = new StringBuilder(96 * (bidPrices.length + askPrices.length) + 32);
        String ts = Long.toString(nowMs / 1000);
        out.append("{\"bids\":[");
        for (int i = 0; i < Math.min(depth, bidPrices.length); i++) {
            restLevel(out, i == 0, bidPrices[i], bidSizes[i], priceScale, sizeScale, ts);
        }
        out.append("],\"asks\":[");
        for (int i = 0; i < Math.min(depth, askPrices.length); i++) {
            restLevel(out, i == 0, askPrices[i], askSizes[i], priceScale, sizeScale, ts);
        }
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
        return "{\"result\":\"error\",\"reason\":\""
                + reason
                + "\",\"message\":\""
                + message.replace("\"", "'")
                + "\"}";
    }

    /** {@code unscaled/10^scale} without trailing zeros ({@code "0.07"}, {@code "3"}). */
    public static void appendDecimal(StringBuilder out, long unscaled, int scale) {
        out.append(BigDecimal.valueOf(unscaled, scale).stripTrailingZeros().toPlainString());
    }

    private static void restLevel(
            StringBuilder out,
            boolean first,
            long price,
            long size,
            int priceScale,
            int sizeScale,
            String ts) {
        if (!first) {
            out.append(',');
        }
        out.append("{\"price\":\"");
        appendDecimal(out, price, priceScale);
        out.append("\",\"amount\":\"");
        appendDecimal(out, size, sizeScale);
        out.append("\",\"timestamp\":\"").append(ts).append("\"}");
    }
}
