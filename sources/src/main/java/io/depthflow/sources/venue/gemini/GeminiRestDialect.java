package io.depthflow.sources.venue.gemini;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.RestDialect;
import io.depthflow.sources.simulator.SimResponse;
import io.depthflow.sources.simulator.SimulatedBooks;

import java.util.Map;

/**
 * The exchange simulator's Gemini REST dialect: {@code GET /v1/book/btcusd} with {@code limit_bids}
 * / {@code limit_asks} (default 50; 0 = the whole side, here {@value #WHOLE_BOOK} levels) answered
 * with {@code {"bids":[{"price","amount","timestamp"}],"asks":[..]}}, decimal strings without
 * trailing zeros; errors as {@code {"result":"error","reason":..,"message":..}}: 429 {@code
 * RateLimited}, 400 {@code InvalidSymbol} (unknown symbol and the {@code exchange_error} fault),
 * 500 {@code ServerError}.
 */
@Internal
public final class GeminiRestDialect implements RestDialect {

    /** Levels per side served for "the full order book". */
    static final int WHOLE_BOOK = 500;

    @Override
    public BookRequest read(String path, Map<String, String> query) {
        if (!path.startsWith("/v1/book/")
                || path.length() <= "/v1/book/".length()
                || path.indexOf('/', "/v1/book/".length()) >= 0) {
            return null;
        }
        String symbol = path.substring("/v1/book/".length());
        String market;
        try {
            market = GeminiSymbols.market(symbol);
        } catch (IllegalArgumentException e) {
            market = null;
        }
        int bids = limit(query.get("limit_bids"));
        int asks = limit(query.get("limit_asks"));
        if (bids < 0 || asks < 0) {
            return BookRequest.invalid(
                    market,
                    symbol,
                    SimResponse.json(
                            400,
                            GeminiWire.error(
                                    "InvalidParameter",
                                    "limit_bids and limit_asks must be non-negative integers")));
        }
        return BookRequest.of(market, symbol, Math.max(bids, asks));
    }

    private static int limit(String value) {
        if (value == null) {
            return 50;
        }
        try {
            int n = Integer.parseInt(value);
            return n < 0 ? -1 : n == 0 ? WHOLE_BOOK : Math.min(n, WHOLE_BOOK);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public SimResponse notFound() {
        return SimResponse.json(
                404, GeminiWire.error("EndpointNotFound", "API entry point not found"));
    }

    @Override
    public SimResponse unknownMarket(String symbol) {
        return SimResponse.json(400, GeminiWire.invalidSymbol(symbol));
    }

    @Override
    public SimResponse fault(Fault fault) {
        switch (fault) {
            case HTTP_429:
                return SimResponse.json(429, GeminiWire.rateLimited());
            case EXCHANGE_ERROR:
                return SimResponse.json(400, GeminiWire.invalidSymbol("btcusd"));
            default:
                return SimResponse.json(500, GeminiWire.serverError());
        }
    }

    @Override
    public String body(
            SimulatedBooks.Book book, String market, BookRequest request, long nowMillis) {
        return GeminiWire.restBook(
                book.bidPrices,
                book.bidSizes,
                book.askPrices,
                book.askSizes,
                SimulatedBooks.SCALE,
                8,
                request.depth(),
                nowMillis);
    }
}
