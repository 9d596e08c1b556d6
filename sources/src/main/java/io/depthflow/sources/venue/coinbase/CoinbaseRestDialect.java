package io.depthflow.sources.venue.coinbase;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.RestDialect;
import io.depthflow.sources.simulator.SimResponse;
import io.depthflow.sources.simulator.SimulatedBooks;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Coinbase Exchange REST in the exchange simulator: {@code GET
 * /coinbase/products/{BTC-USD|ETH-USD}/book?level=1|2} (level 2: {@link #DEPTH} levels per side;
 * unknown product: 404 {@code {"message":"NotFound"}}; another level: 400). Levels {@code
 * ["90000.01","0.1234",3]} with trailing zeros of sizes stripped, integer {@code sequence}, {@code
 * time} with microseconds, as the documentation and fixtures show them. Faults: 429 {@code
 * {"message":"Too Many Requests"}}, 500 {@code {"message":"Internal Server Error"}}, {@link
 * Fault#EXCHANGE_ERROR} 400 {@code {"message":"Invalid request format"}}.
 */
@Internal
public final class CoinbaseRestDialect implements RestDialect {

    public static final CoinbaseRestDialect INSTANCE = new CoinbaseRestDialect();

    /** Levels per side of a Coinbase level-2 book. */
    public static final int DEPTH = 400;

    private static final String PREFIX = "/products/";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private CoinbaseRestDialect() {}

    @Override
    public BookRequest read(String path, Map<String, String> query) {
        if (!path.startsWith(PREFIX) || !path.endsWith("/book")) {
            return null;
        }
        String product = path.substring(PREFIX.length(), path.length() - "/book".length());
        String market;
        try {
            market = CoinbaseSymbols.market(product);
        } catch (IllegalArgumentException e) {
            market = null;
        }
        String level = query.getOrDefault("level", "1");
        if (!"1".equals(level) && !"2".equals(level)) {
            return BookRequest.invalid(
                    market, product, SimResponse.json(400, "{\"message\":\"Invalid level\"}"));
        }
        return BookRequest.of(market, product, DEPTH).withVariant(level);
    }

    @Override
    public SimResponse notFound() {
        return SimResponse.json(404, "{\"message\":\"NotFound\"}");
    }

    @Override
    public SimResponse unknownMarket(String symbol) {
        return notFound();
    }

    @Override
    public SimResponse fault(Fault fault) {
        switch (fault) {
            case HTTP_429:
                return SimResponse.json(429, "{\"message\":\"Too Many Requests\"}");
            case HTTP_500:
                return SimResponse.json(500, "{\"message\":\"Internal Server Error\"}");
            case EXCHANGE_ERROR:
                return SimResponse.json(400, "{\"message\":\"Invalid request format\"}");
            default:
                throw new IllegalArgumentException("not a whole-answer fault: " + fault);
        }
    }

    @Override
    public String body(
            SimulatedBooks.Book book, String market, BookRequest request, long nowMillis) {
        int levels = "1".equals(request.variant()) ? 1 : DEPTH;
        StringBuilder json = new StringBuilder(64 * levels * 2 + 200);
        json.append("{\"bids\":[");
        levels(json, book.bidPrices, book.bidSizes, book.bidOrders, levels);
        json.append("],\"asks\":[");
        levels(json, book.askPrices, book.askSizes, book.askOrders, levels);
        Instant time = Instant.ofEpochMilli(nowMillis).plusNanos(book.micros * 1_000L);
        json.append("],\"sequence\":")
                .append(book.sequence)
                .append(",\"auction_mode\":false,\"auction\":null,\"time\":\"")
                .append(TIME.format(time))
                .append("\"}");
        return json.toString();
    }

    private static void levels(
            StringBuilder json, long[] prices, long[] sizes, int[] orders, int levels) {
        for (int i = 0; i < Math.min(levels, prices.length); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("[\"")
                    .append(
                            BigDecimal.valueOf(prices[i], SimulatedBooks.SCALE)
                                    .setScale(2)
                                    .toPlainString())
                    .append("\",\"")
                    .append(BigDecimal.valueOf(sizes[i], 8).stripTrailingZeros().toPlainString())
                    .append("\",")
                    .append(orders[i])
                    .append(']');
        }
    }
}
