package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.RestDialect;
import io.depthflow.sources.simulator.SimResponse;
import io.depthflow.sources.simulator.SimulatedBooks;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exchange simulator's Bitfinex REST dialect: {@code GET /v2/book/tBTCUSD/P0?len=N} (N of 1,
 * 25, 100; default 25) answered with {@code [[PRICE,COUNT,AMOUNT],...]}, the top N bids then the
 * top N asks with negative amounts, numbers written as Bitfinex writes them ({@link
 * JsNumbers#appendJs}); errors as {@code ["error",CODE,"MESSAGE"]}: 429 {@code 11010 "ratelimit:
 * error"}, 500 {@code 10020 "symbol: invalid"} for an unknown pair (and the {@code exchange_error}
 * fault), 500 {@code 10000 "unknown error"}, 500 {@code 10020 "len: invalid"} for a length Bitfinex
 * does not offer. Prices keep Bitfinex's P0 grid: five significant digits, so BTC/USD near 90,000
 * moves in whole dollars ({@link #tick}).
 */
@Internal
public final class BitfinexRestDialect implements RestDialect {

    private static final Pattern BOOK = Pattern.compile("/v2/book/([^/]+)/(P[0-4]|R0)");

    @Override
    public BookRequest read(String path, Map<String, String> query) {
        Matcher m = BOOK.matcher(path);
        if (!m.matches()) {
            return null;
        }
        String symbol = m.group(1);
        String market;
        try {
            market = BitfinexSymbols.market(symbol);
        } catch (IllegalArgumentException e) {
            market = null;
        }
        if (!"P0".equals(m.group(2))) {
            return BookRequest.invalid(
                    market, symbol, SimResponse.json(500, "[\"error\",10020,\"prec: invalid\"]"));
        }
        int len;
        try {
            len = Integer.parseInt(query.getOrDefault("len", "25"));
        } catch (NumberFormatException e) {
            len = -1;
        }
        if (!Bitfinex.REST_LENS.contains(len)) {
            return BookRequest.invalid(
                    market, symbol, SimResponse.json(500, "[\"error\",10020,\"len: invalid\"]"));
        }
        return BookRequest.of(market, symbol, len);
    }

    @Override
    public SimResponse notFound() {
        return SimResponse.json(404, "[\"error\",10020,\"path: invalid\"]");
    }

    @Override
    public SimResponse unknownMarket(String symbol) {
        return SimResponse.json(500, "[\"error\",10020,\"symbol: invalid\"]");
    }

    @Override
    public SimResponse fault(Fault fault) {
        switch (fault) {
            case HTTP_429:
                return SimResponse.json(429, "[\"error\",11010,\"ratelimit: error\"]");
            case EXCHANGE_ERROR:
                return SimResponse.json(500, "[\"error\",10020,\"symbol: invalid\"]");
            default:
                return SimResponse.json(500, "[\"error\",10000,\"unknown error\"]");
        }
    }

    @Override
    public String body(
            SimulatedBooks.Book book, String market, BookRequest request, long nowMillis) {
        return levels(
                book.bidPrices,
                book.bidSizes,
                book.askPrices,
                book.askSizes,
                SimulatedBooks.SCALE,
                8,
                request.depth());
    }

    /** One price unit of Bitfinex's P0 grid (five significant digits), in units of 1e-5. */
    @Override
    public long tick(String market) {
        if ("BTC/USD".equals(market)) {
            return 100_000L;
        }
        if ("ETH/USD".equals(market)) {
            return 10_000L;
        }
        return 1_000L;
    }

    /** The body: up to {@code len} bids, then up to {@code len} asks (negative amounts). */
    static String levels(
            long[] bidPrices,
            long[] bidSizes,
            long[] askPrices,
            long[] askSizes,
            int priceScale,
            int sizeScale,
            int len) {
        StringBuilder out = new StringBuilder(48 * 2 * len + 2);
        out.append('[');
        boolean first = true;
        for (int i = 0; i < Math.min(len, bidPrices.length); i++) {
            first = level(out, first, bidPrices[i], bidSizes[i], false, priceScale, sizeScale);
        }
        for (int i = 0; i < Math.min(len, askPrices.length); i++) {
            first = level(out, first, askPrices[i], askSizes[i], true, priceScale, sizeScale);
        }
        return out.append(']').toString();
    }

    private static boolean level(
            StringBuilder out,
            boolean first,
            long price,
            long size,
            boolean ask,
            int priceScale,
            int sizeScale) {
        if (!first) {
            out.append(',');
        }
        out.append('[');
        JsNumbers.appendJs(out, false, price, priceScale);
        out.append(',').append(1 + Long.remainderUnsigned(size, 4)).append(',');
        JsNumbers.appendJs(out, ask, size, sizeScale);
        out.append(']');
        return false;
    }
}
