package io.depthflow.sources.venue.kraken;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.RestDialect;
import io.depthflow.sources.simulator.SimResponse;
import io.depthflow.sources.simulator.SimulatedBooks;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Kraken REST in the exchange simulator: {@code GET
 * /kraken/0/public/Depth?pair=XBTUSD|ETHUSD&count=N} (N levels per side, 1..500, default 100;
 * unknown pair: 200 {@code {"error":["EQuery:Unknown asset pair"]}}; another method: 404). Levels
 * {@code ["90000.10000","0.15000000",1795175100]} (5 price decimals for XBTUSD as in Kraken's
 * examples, 2 for ETHUSD, 8 volume decimals, integer seconds) under {@code XXBTZUSD}/{@code
 * XETHZUSD}; ticks 0.1 (XBTUSD) and 0.01 (ETHUSD). Faults: 429 {@code {"error":["EGeneral:Too many
 * requests"]}}, 500 as a proxy's HTML page, {@link Fault#EXCHANGE_ERROR} 200 {@code
 * {"error":["EService:Unavailable"]}}.
 */
@Internal
public final class KrakenRestDialect implements RestDialect {

    public static final KrakenRestDialect INSTANCE = new KrakenRestDialect();

    private KrakenRestDialect() {}

    @Override
    public BookRequest read(String path, Map<String, String> query) {
        if (!"/0/public/Depth".equals(path)) {
            return null;
        }
        String pair = query.get("pair");
        String market;
        try {
            market = KrakenSymbols.market(pair);
        } catch (IllegalArgumentException e) {
            market = null;
        }
        int count;
        try {
            count = Integer.parseInt(query.getOrDefault("count", "100"));
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > 500) {
            return BookRequest.invalid(
                    market,
                    pair,
                    SimResponse.json(200, "{\"error\":[\"EGeneral:Invalid arguments:count\"]}"));
        }
        return BookRequest.of(market, pair, count);
    }

    @Override
    public SimResponse notFound() {
        return SimResponse.json(404, "{\"error\":[\"EGeneral:Unknown method\"]}");
    }

    @Override
    public SimResponse unknownMarket(String symbol) {
        return SimResponse.json(200, "{\"error\":[\"EQuery:Unknown asset pair\"]}");
    }

    @Override
    public SimResponse fault(Fault fault) {
        switch (fault) {
            case HTTP_429:
                return SimResponse.json(429, "{\"error\":[\"EGeneral:Too many requests\"]}");
            case HTTP_500:
                return new SimResponse(
                        500,
                        "text/html",
                        "<html><head><title>500 Internal Server Error</title></head>\n<body><h1>500 Internal Server Error</h1></body></html>\n");
            case EXCHANGE_ERROR:
                return SimResponse.json(200, "{\"error\":[\"EService:Unavailable\"]}");
            default:
                throw new IllegalArgumentException("not a whole-answer fault: " + fault);
        }
    }

    @Override
    public String body(
            SimulatedBooks.Book book, String market, BookRequest request, long nowMillis) {
        int priceScale = Markets.BTC_USD.equals(market) ? 5 : 2;
        String pairKey = Markets.BTC_USD.equals(market) ? "XXBTZUSD" : "XETHZUSD";
        long nowSeconds = nowMillis / 1000;
        StringBuilder json = new StringBuilder(64 * book.askPrices.length * 2 + 100);
        json.append("{\"error\":[],\"result\":{\"").append(pairKey).append("\":{\"asks\":[");
        levels(json, book.askPrices, book.askSizes, book.askAges, priceScale, nowSeconds);
        json.append("],\"bids\":[");
        levels(json, book.bidPrices, book.bidSizes, book.bidAges, priceScale, nowSeconds);
        json.append("]}}}");
        return json.toString();
    }

    private static void levels(
            StringBuilder json,
            long[] prices,
            long[] sizes,
            int[] ages,
            int priceScale,
            long nowSeconds) {
        for (int i = 0; i < prices.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("[\"")
                    .append(
                            BigDecimal.valueOf(prices[i], SimulatedBooks.SCALE)
                                    .setScale(priceScale)
                                    .toPlainString())
                    .append("\",\"")
                    .append(BigDecimal.valueOf(sizes[i], 8).toPlainString())
                    .append("\",")
                    .append(nowSeconds - ages[i])
                    .append(']');
        }
    }

    /** Kraken's ticks: 0.1 for XBTUSD, 0.01 for ETHUSD (and other pairs), in units of 1e-5. */
    @Override
    public long tick(String market) {
        return Markets.BTC_USD.equals(market) ? 10_000L : 1_000L;
    }
}
