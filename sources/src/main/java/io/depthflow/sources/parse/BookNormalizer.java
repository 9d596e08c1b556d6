package io.depthflow.sources.parse;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Builds a normalized, validated {@link OrderBookSnapshot} from the decimal strings of both sides.
 *
 * <p>Why scaled longs rather than {@code BigDecimal} or {@code double}: a level is held as an
 * unscaled {@code long} at one scale shared by the whole book (the largest number of fraction
 * digits the exchange sent, separately for prices and sizes). That is
 *
 * <ul>
 *   <li><b>exact</b>: every digit of the exchange's text survives ({@code "30384.10000"} is {@code
 *       3038410000} at scale 5); {@code double} cannot hold most decimal fractions exactly and
 *       would shift averages and the checksums of later feeds;
 *   <li><b>compact</b>: four {@code long[]} arrays per book, serialized by Flink's primitive array
 *       serializers, instead of one object per number;
 *   <li><b>cheap to compare</b>: sorting, duplicate detection and the crossed-book test are plain
 *       {@code long} comparisons because all prices share one scale;
 *   <li><b>overflow-checked</b>: scaling uses {@link Math#multiplyExact}; a value that does not fit
 *       (about 9.2e18 units, e.g. a price above 92 trillion at scale 5) is reported as {@link
 *       IngestError#MALFORMED}, never wrapped around.
 * </ul>
 *
 * <p>Normalization: zero-size levels are dropped, bids are sorted best (highest) first and asks
 * best (lowest) first whatever the wire order, and a price that appears twice on one side is {@link
 * IngestError#MALFORMED}. Validation: a side without levels is {@link IngestError#EMPTY_BOOK}; best
 * bid at or above best ask is {@link IngestError#CROSSED_BOOK}.
 */
@Internal
public final class BookNormalizer {

    private BookNormalizer() {}

    public static OrderBookSnapshot normalize(
            String exchange,
            String market,
            long receivedAt,
            long exchangeTime,
            long sequence,
            RawLevels bids,
            RawLevels asks)
            throws BookParseException {
        int priceScale = 0;
        int sizeScale = 0;
        for (RawLevels side : new RawLevels[] {bids, asks}) {
            for (int i = 0; i < side.size(); i++) {
                priceScale = Math.max(priceScale, Decimals.scaleOf(side.price(i)));
                if (!isZero(side.size(i))) {
                    sizeScale = Math.max(sizeScale, Decimals.scaleOf(side.size(i)));
                }
            }
        }
        long[][] bidLevels = side(exchange, "bids", bids, priceScale, sizeScale, true);
        long[][] askLevels = side(exchange, "asks", asks, priceScale, sizeScale, false);
        if (bidLevels[0].length == 0 || askLevels[0].length == 0) {
            String what =
                    bidLevels[0].length == 0 && askLevels[0].length == 0
                            ? "no bids and no asks"
                            : bidLevels[0].length == 0 ? "no bids" : "no asks";
            throw new BookParseException(IngestError.EMPTY_BOOK, exchange + ": " + what);
        }
        if (bidLevels[0][0] >= askLevels[0][0]) {
            throw new BookParseException(
                    IngestError.CROSSED_BOOK,
                    exchange
                            + ": crossed book: best bid "
                            + plain(bidLevels[0][0], priceScale)
                            + " >= best ask "
                            + plain(askLevels[0][0], priceScale));
        }
        return new OrderBookSnapshot(
                exchange,
                market,
                receivedAt,
                exchangeTime,
                sequence,
                priceScale,
                sizeScale,
                bidLevels[0],
                bidLevels[1],
                askLevels[0],
                askLevels[1]);
    }

    /** Returns {prices, sizes} of one side, best first, zero sizes dropped. */
    private static long[][] side(
            String exchange,
            String name,
            RawLevels levels,
            int priceScale,
            int sizeScale,
            boolean descending)
            throws BookParseException {
        int n = levels.size();
        long[] prices = new long[n];
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            prices[i] = scaled(exchange, name + "[" + i + "][0]", levels.price(i), priceScale);
            if (prices[i] == 0) {
                throw StrictJson.malformed(exchange, name + "[" + i + "][0] is a zero price");
            }
            sizes[i] =
                    isZero(levels.size(i))
                            ? 0
                            : scaled(exchange, name + "[" + i + "][1]", levels.size(i), sizeScale);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Comparator<Integer> byPrice = Comparator.comparingLong(i -> prices[i]);
        Arrays.sort(order, descending ? byPrice.reversed() : byPrice);
        int kept = 0;
        for (int k = 0; k < n; k++) {
            if (k > 0 && prices[order[k]] == prices[order[k - 1]]) {
                throw StrictJson.malformed(
                        exchange,
                        "duplicate price "
                                + plain(prices[order[k]], priceScale)
                                + " in "
                                + name
                                + " (at "
                                + Math.min(order[k], order[k - 1])
                                + " and "
                                + Math.max(order[k], order[k - 1])
                                + ")");
            }
            if (sizes[order[k]] != 0) {
                kept++;
            }
        }
        long[] outPrices = new long[kept];
        long[] outSizes = new long[kept];
        int j = 0;
        for (int k = 0; k < n; k++) {
            if (sizes[order[k]] != 0) {
                outPrices[j] = prices[order[k]];
                outSizes[j] = sizes[order[k]];
                j++;
            }
        }
        return new long[][] {outPrices, outSizes};
    }

    private static long scaled(String exchange, String at, String text, int scale)
            throws BookParseException {
        try {
            return Decimals.parseScaled(text, scale);
        } catch (NumberFormatException e) {
            throw StrictJson.malformed(
                    exchange,
                    at + " \"" + text + "\" does not fit a scaled long at scale " + scale);
        }
    }

    private static boolean isZero(String decimal) {
        for (int i = 0; i < decimal.length(); i++) {
            char c = decimal.charAt(i);
            if (c != '0' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static String plain(long unscaled, int scale) {
        return BigDecimal.valueOf(unscaled, scale).toPlainString();
    }
}
