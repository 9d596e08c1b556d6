package io.depthflow.sources.venue.bitfinex;

import io.depthflow.sources.venue.SimBook;

import org.apache.flink.annotation.Internal;

import java.util.Iterator;
import java.util.Map;

/**
 * The simulator's Bitfinex REST dialect: the bodies of {@code GET /v2/book/tBTCUSD/P0?len=N} and
 * of Bitfinex's errors, in the exact wire format ({@link BitfinexBookParser} reads them back).
 */
@Internal
public final class BitfinexRestBodies {

    private BitfinexRestBodies() {}

    /** {@code [[PRICE,COUNT,AMOUNT],...]}: the top {@code len} bids, then the top {@code len} asks (negative amounts). */
    public static String book(SimBook book, int len) {
        StringBuilder out = new StringBuilder(64 * len);
        out.append('[');
        boolean first = levels(out, book.bids().entrySet().iterator(), len, false, book, true);
        levels(out, book.asks().entrySet().iterator(), len, true, book, first);
        return out.append(']').toString();
    }

    /** A book whose best bid is one price unit above the best ask (the crossed-book fault). */
    public static String crossed(SimBook book, int len) {
        long bestAsk = book.asks().firstKey();
        StringBuilder out = new StringBuilder(64 * len);
        out.append('[');
        level(out, true, bestAsk + 1, book.bids().firstEntry().getValue(), false, book);
        levels(out, book.asks().entrySet().iterator(), len, true, book, false);
        return out.append(']').toString();
    }

    /** Asks only (the empty-book fault). */
    public static String withoutBids(SimBook book, int len) {
        StringBuilder out = new StringBuilder(64 * len);
        out.append('[');
        levels(out, book.asks().entrySet().iterator(), len, true, book, true);
        return out.append(']').toString();
    }

    /** HTTP 429 body: {@code ["error",11010,"ratelimit: error"]}. */
    public static String rateLimited() {
        return "[\"error\",11010,\"ratelimit: error\"]";
    }

    /** HTTP 500 body of a bad request: {@code ["error",10020,"symbol: invalid"]}. */
    public static String symbolInvalid() {
        return "[\"error\",10020,\"symbol: invalid\"]";
    }

    /** HTTP 500 body of a failure inside Bitfinex. */
    public static String serverError() {
        return "[\"error\",10000,\"unknown error\"]";
    }

    private static boolean levels(StringBuilder out, Iterator<Map.Entry<Long, Long>> it, int len, boolean ask, SimBook book, boolean first) {
        for (int i = 0; i < len && it.hasNext(); i++) {
            Map.Entry<Long, Long> e = it.next();
            level(out, first, e.getKey(), e.getValue(), ask, book);
            first = false;
        }
        return first;
    }

    private static void level(StringBuilder out, boolean first, long price, long size, boolean ask, SimBook book) {
        if (!first) {
            out.append(',');
        }
        out.append('[');
        JsNumbers.appendJs(out, false, price, book.priceScale());
        out.append(',').append(1 + Long.remainderUnsigned(size, 4)).append(',');
        JsNumbers.appendJs(out, ask, size, book.sizeScale());
        out.append(']');
    }
}
