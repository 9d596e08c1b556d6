package io.depthflow.sources.venue.kraken;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.simulator.MarketBook;
import io.depthflow.sources.simulator.WireText;

import java.util.Iterator;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One Kraken v2 {@code book} subscription: what the subscriber has been sent of a {@link
 * MarketBook}, truncated to its depth, and the messages that keep it in step, as Kraken's book
 * channel does (exchanges.md §5.2, §5.3):
 *
 * <ul>
 *   <li>{@link #snapshot}: the top {@code depth} levels per side and their checksum;
 *   <li>{@link #update}: after the book moved, the levels of the new top {@code depth} that are new
 *       or changed, and {@code qty 0} for levels of the old view that no longer exist. Levels
 *       pushed below the depth by an insert are not sent ("you will not receive qty 0 for levels
 *       that fall out of scope"): the subscriber truncates. Null when nothing in the view changed.
 * </ul>
 *
 * The checksum is computed here independently of the job's code: the CRC32 of the top 10 asks then
 * bids, each value's wire text without '.' and leading zeros. Prices are written with the pair's
 * decimals and quantities with 8, trailing zeros kept, as JSON numbers (the live wire) or strings.
 */
@Internal
public final class KrakenBookView {

    private final String symbol;
    private final MarketBook book;
    public final int depth;
    private final boolean numbersAsStrings;

    private long[] bidPrices = new long[0];
    private long[] bidSizes = new long[0];
    private long[] askPrices = new long[0];
    private long[] askSizes = new long[0];

    private final StringBuilder json = new StringBuilder(4096);
    private final CRC32 crc = new CRC32();

    public KrakenBookView(String symbol, MarketBook book, int depth, boolean numbersAsStrings) {
        this.symbol = symbol;
        this.book = book;
        this.depth = depth;
        this.numbersAsStrings = numbersAsStrings;
    }

    /** The snapshot message; the view becomes the book's top {@code depth}. */
    public String snapshot(String timestamp) {
        refreshView();
        json.setLength(0);
        json.append("{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"")
                .append(symbol)
                .append("\",\"bids\":[");
        for (int i = 0; i < bidPrices.length; i++) {
            level(i > 0, bidPrices[i], bidSizes[i]);
        }
        json.append("],\"asks\":[");
        for (int i = 0; i < askPrices.length; i++) {
            level(i > 0, askPrices[i], askSizes[i]);
        }
        return finish(checksum(), timestamp);
    }

    /** The update message for the book's latest step, or null when the view did not change. */
    public String update(String timestamp) {
        long[] oldBidPrices = bidPrices;
        long[] oldBidSizes = bidSizes;
        long[] oldAskPrices = askPrices;
        long[] oldAskSizes = askSizes;
        refreshView();
        json.setLength(0);
        json.append("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"")
                .append(symbol)
                .append("\",\"bids\":[");
        int sent = diff(true, oldBidPrices, oldBidSizes, bidPrices, bidSizes);
        json.append("],\"asks\":[");
        sent += diff(false, oldAskPrices, oldAskSizes, askPrices, askSizes);
        if (sent == 0) {
            return null;
        }
        return finish(checksum(), timestamp);
    }

    /** The checksum of the current view (= the book's top 10). */
    public long checksum() {
        crc.reset();
        for (int i = 0; i < Math.min(10, askPrices.length); i++) {
            digits(askPrices[i]);
            digits(askSizes[i]);
        }
        for (int i = 0; i < Math.min(10, bidPrices.length); i++) {
            digits(bidPrices[i]);
            digits(bidSizes[i]);
        }
        return crc.getValue();
    }

    private void digits(long unscaled) {
        byte[] b = Long.toString(unscaled).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        crc.update(b, 0, b.length);
    }

    private String finish(long checksum, String timestamp) {
        json.append("],\"checksum\":")
                .append(checksum)
                .append(",\"timestamp\":\"")
                .append(timestamp)
                .append("\"}]}");
        return json.toString();
    }

    /**
     * Writes the changed levels of one side (best-first merge of old and new view); returns how
     * many.
     */
    private int diff(
            boolean bid, long[] oldPrices, long[] oldSizes, long[] newPrices, long[] newSizes) {
        int i = 0;
        int j = 0;
        int sent = 0;
        while (i < oldPrices.length || j < newPrices.length) {
            if (i < oldPrices.length && j < newPrices.length && oldPrices[i] == newPrices[j]) {
                if (oldSizes[i] != newSizes[j]) {
                    level(sent++ > 0, newPrices[j], newSizes[j]);
                }
                i++;
                j++;
            } else if (j < newPrices.length
                    && (i == oldPrices.length || better(bid, newPrices[j], oldPrices[i]))) {
                level(sent++ > 0, newPrices[j], newSizes[j]);
                j++;
            } else {
                // An old level not in the new view: deleted, or pushed below the depth.
                if (book.sizeAt(bid, oldPrices[i]) == 0) {
                    level(sent++ > 0, oldPrices[i], 0);
                }
                i++;
            }
        }
        return sent;
    }

    private static boolean better(boolean bid, long a, long b) {
        return bid ? a > b : a < b;
    }

    private void refreshView() {
        int nb = Math.min(depth, book.bids.size());
        int na = Math.min(depth, book.asks.size());
        bidPrices = new long[nb];
        bidSizes = new long[nb];
        askPrices = new long[na];
        askSizes = new long[na];
        fill(book.bids.entrySet().iterator(), bidPrices, bidSizes);
        fill(book.asks.entrySet().iterator(), askPrices, askSizes);
    }

    private static void fill(Iterator<Map.Entry<Long, Long>> it, long[] prices, long[] sizes) {
        for (int i = 0; i < prices.length; i++) {
            Map.Entry<Long, Long> e = it.next();
            prices[i] = e.getKey();
            sizes[i] = e.getValue();
        }
    }

    private void level(boolean comma, long price, long size) {
        if (comma) {
            json.append(',');
        }
        json.append("{\"price\":");
        number(price, book.priceScale);
        json.append(",\"qty\":");
        if (size == 0) {
            // A removal is written as Kraken's documentation shows it: "qty": 0.
            json.append(numbersAsStrings ? "\"0\"" : "0");
        } else {
            number(size, book.sizeScale);
        }
        json.append('}');
    }

    private void number(long unscaled, int scale) {
        if (numbersAsStrings) {
            json.append('"');
        }
        WireText.appendFixed(json, unscaled, scale);
        if (numbersAsStrings) {
            json.append('"');
        }
    }
}
