package io.depthflow.sources.venue.bitstamp;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.RestDialect;
import io.depthflow.sources.simulator.SimResponse;
import io.depthflow.sources.simulator.SimulatedBooks;
import io.depthflow.sources.simulator.WireText;

import java.util.Map;

/**
 * Bitstamp's REST order book in the exchange simulator: {@code GET
 * /bitstamp/api/v2/order_book/{pair}} (trailing slash optional) answers {@link #LEVELS} levels per
 * side as {@code {"timestamp": "S", "microtimestamp": "US", "bids": [["price", "amount"], ...],
 * "asks": [...]}}, prices at the pair's decimals (BTC/USD whole dollars, ETH/USD one decimal, as
 * Bitstamp's {@code counter_decimals}), amounts with 8 decimals. Errors in Bitstamp's shape ({@code
 * {"status": "error", "reason": "..."}}): an unknown pair is 404, {@link Fault#EXCHANGE_ERROR} a
 * 200 with {@code status error}, {@link Fault#HTTP_429} a 429, {@link Fault#HTTP_500} a proxy's
 * HTML page.
 */
@Internal
public final class BitstampRestDialect implements RestDialect {

    public static final BitstampRestDialect INSTANCE = new BitstampRestDialect();

    /** Levels per side of a simulated REST book (the real one is the whole book). */
    public static final int LEVELS = 400;

    private static final String PATH = "/api/v2/order_book/";

    private BitstampRestDialect() {}

    @Override
    public BookRequest read(String path, Map<String, String> query) {
        if (!path.startsWith(PATH)) {
            return null;
        }
        String pair = path.substring(PATH.length());
        if (pair.endsWith("/")) {
            pair = pair.substring(0, pair.length() - 1);
        }
        if (pair.isEmpty() || pair.contains("/")) {
            return null;
        }
        String market;
        try {
            market = BitstampSymbols.market(pair);
        } catch (IllegalArgumentException e) {
            market = null;
        }
        String group = query.getOrDefault("group", "1");
        if (!"1".equals(group)) {
            return BookRequest.invalid(
                    market,
                    pair,
                    SimResponse.json(
                            400,
                            "{\"status\": \"error\", \"reason\": \"The simulator serves group=1 only.\"}"));
        }
        return BookRequest.of(market, pair, LEVELS);
    }

    @Override
    public SimResponse notFound() {
        return new SimResponse(
                404,
                "text/html",
                "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n");
    }

    @Override
    public SimResponse unknownMarket(String symbol) {
        return SimResponse.json(
                404,
                "{\"status\": \"error\", \"reason\": \"Invalid currency pair.\", \"code\": \"API0003\"}");
    }

    @Override
    public SimResponse fault(Fault fault) {
        switch (fault) {
            case HTTP_429:
                return SimResponse.json(
                        429,
                        "{\"status\": \"error\", \"reason\": \"Rate limit exceeded.\", \"code\": \"API0008\"}");
            case HTTP_500:
                return new SimResponse(
                        500,
                        "text/html",
                        "<html><head><title>500 Internal Server Error</title></head>\n<body><h1>500 Internal Server Error</h1></body></html>\n");
            case EXCHANGE_ERROR:
                return SimResponse.json(
                        200,
                        "{\"status\": \"error\", \"reason\": \"Order book unavailable.\", \"code\": \"API0001\"}");
            default:
                throw new IllegalArgumentException("not a whole-answer fault: " + fault);
        }
    }

    @Override
    public String body(
            SimulatedBooks.Book book, String market, BookRequest request, long nowMillis) {
        int decimals = decimals(market);
        long micros = nowMillis * 1_000 + book.micros;
        StringBuilder json =
                new StringBuilder(40 * (book.bidPrices.length + book.askPrices.length) + 100);
        json.append("{\"timestamp\": \"")
                .append(nowMillis / 1_000)
                .append("\", \"microtimestamp\": \"")
                .append(micros)
                .append("\", \"bids\": [");
        levels(json, book.bidPrices, book.bidSizes, decimals);
        json.append("], \"asks\": [");
        levels(json, book.askPrices, book.askSizes, decimals);
        return json.append("]}").toString();
    }

    private static void levels(StringBuilder json, long[] prices, long[] sizes, int decimals) {
        long unit = pow10(SimulatedBooks.SCALE - decimals);
        for (int i = 0; i < prices.length; i++) {
            json.append(i == 0 ? "[\"" : ", [\"");
            WireText.appendFixed(json, prices[i] / unit, decimals);
            json.append("\", \"");
            WireText.appendFixed(json, sizes[i], 8);
            json.append("\"]");
        }
    }

    /** Price decimals of a pair: BTC/USD 0, ETH/USD 1, others 2. */
    static int decimals(String market) {
        if (Markets.BTC_USD.equals(market)) {
            return 0;
        }
        return Markets.ETH_USD.equals(market) ? 1 : 2;
    }

    @Override
    public long tick(String market) {
        return pow10(SimulatedBooks.SCALE - decimals(market));
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v *= 10;
        }
        return v;
    }
}
