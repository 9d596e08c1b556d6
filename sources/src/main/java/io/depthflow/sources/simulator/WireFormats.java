package io.depthflow.sources.simulator;

import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.simulator.SimulatedBooks.Book;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes {@link Book}s in each exchange's wire format, as the documentation and the fixtures show
 * them: Coinbase levels {@code ["90000.01","0.1234",3]} with trailing zeros of sizes stripped,
 * integer {@code sequence}, {@code time} with microseconds; Kraken levels {@code
 * ["90000.10000","0.15000000",1795175100]} (5 price decimals for XBTUSD as in Kraken's examples, 2
 * for ETHUSD, 8 volume decimals, integer seconds) under {@code XXBTZUSD}/{@code XETHZUSD}.
 */
final class WireFormats {

    private static final DateTimeFormatter COINBASE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private WireFormats() {}

    static String coinbase(Book book, int levels, long nowMs) {
        StringBuilder json = new StringBuilder(64 * levels * 2 + 200);
        json.append("{\"bids\":[");
        coinbaseLevels(json, book.bidPrices, book.bidSizes, book.bidOrders, levels);
        json.append("],\"asks\":[");
        coinbaseLevels(json, book.askPrices, book.askSizes, book.askOrders, levels);
        Instant time = Instant.ofEpochMilli(nowMs).plusNanos(book.micros * 1_000L);
        json.append("],\"sequence\":")
                .append(book.sequence)
                .append(",\"auction_mode\":false,\"auction\":null,\"time\":\"")
                .append(COINBASE_TIME.format(time))
                .append("\"}");
        return json.toString();
    }

    private static void coinbaseLevels(StringBuilder json, long[] prices, long[] sizes, int[] orders, int levels) {
        for (int i = 0; i < Math.min(levels, prices.length); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("[\"")
                    .append(price(prices[i], 2))
                    .append("\",\"")
                    .append(BigDecimal.valueOf(sizes[i], 8).stripTrailingZeros().toPlainString())
                    .append("\",")
                    .append(orders[i])
                    .append(']');
        }
    }

    static String kraken(Book book, String market, long nowMs) {
        int priceScale = Markets.BTC_USD.equals(market) ? 5 : 2;
        String pairKey = Markets.BTC_USD.equals(market) ? "XXBTZUSD" : "XETHZUSD";
        long nowSeconds = nowMs / 1000;
        StringBuilder json = new StringBuilder(64 * book.askPrices.length * 2 + 100);
        json.append("{\"error\":[],\"result\":{\"").append(pairKey).append("\":{\"asks\":[");
        krakenLevels(json, book.askPrices, book.askSizes, book.askAges, priceScale, nowSeconds);
        json.append("],\"bids\":[");
        krakenLevels(json, book.bidPrices, book.bidSizes, book.bidAges, priceScale, nowSeconds);
        json.append("]}}}");
        return json.toString();
    }

    private static void krakenLevels(
            StringBuilder json, long[] prices, long[] sizes, int[] ages, int priceScale, long nowSeconds) {
        for (int i = 0; i < prices.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("[\"")
                    .append(price(prices[i], priceScale))
                    .append("\",\"")
                    .append(BigDecimal.valueOf(sizes[i], 8).toPlainString())
                    .append("\",")
                    .append(nowSeconds - ages[i])
                    .append(']');
        }
    }

    /** A price held at {@link SimulatedBooks#SCALE}, written with {@code decimals} digits. */
    private static String price(long value, int decimals) {
        return BigDecimal.valueOf(value, SimulatedBooks.SCALE).setScale(decimals).toPlainString();
    }
}
