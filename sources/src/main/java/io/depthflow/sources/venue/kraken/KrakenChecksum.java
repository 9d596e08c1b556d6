package io.depthflow.sources.venue.kraken;

import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.venue.BookChecksum;
import io.depthflow.sources.venue.BookLevels;

import java.util.zip.CRC32;

/**
 * Kraken WebSocket v2 {@code book} checksum (exchanges.md §5.5, Kraken's book-checksum-v2 guide):
 * for the top 10 asks, best (lowest) first, then the top 10 bids, best (highest) first, append
 * {@code price} and {@code qty} each with the '.' removed and then the leading zeros removed; the
 * CRC32 of that ASCII string, as an unsigned 32-bit integer.
 *
 * <p>On an {@link BookLevels} view (the job's {@code L2Book}) whose scales equal the wire's
 * fraction digits, "the wire text without '.' and without leading zeros" is exactly the decimal
 * digits of the unscaled {@code long} ({@code "0.5660"} at scale 4 is 5660; {@code "0.00100000"} at
 * scale 8 is 100000), trailing zeros included. So the checksum is computed from the longs without
 * formatting a single decimal string. (Kraken's book-page example prints {@code 0.566} and {@code
 * 18097.1547}; its checksums hold only with the pair's fixed 4 price and 8 qty decimals, i.e. at
 * the book's scales: see exchanges.md §5.4.)
 *
 * <p>One instance reuses its buffer and CRC engine: not thread-safe, allocation-free per call.
 */
public final class KrakenChecksum implements BookChecksum {

    /** Levels per side that the checksum covers, whatever the subscribed depth. */
    public static final int LEVELS = 10;

    /** 20 levels × 2 values × at most 19 digits. */
    private final byte[] buffer = new byte[2 * LEVELS * 2 * 19];

    private final CRC32 crc = new CRC32();

    /** The checksum of the book's current top 10 levels per side, 0..2^32-1. */
    @Override
    public long compute(BookLevels book) {
        int n = 0;
        int asks = Math.min(LEVELS, book.askCount());
        for (int i = 0; i < asks; i++) {
            n = append(book.askPrice(i), n);
            n = append(book.askSize(i), n);
        }
        int bids = Math.min(LEVELS, book.bidCount());
        for (int i = 0; i < bids; i++) {
            n = append(book.bidPrice(i), n);
            n = append(book.bidSize(i), n);
        }
        crc.reset();
        crc.update(buffer, 0, n);
        return crc.getValue();
    }

    @Override
    public String coverage() {
        return "top " + LEVELS + " levels per side";
    }

    /** "00" to "99": two digits per division, half the divisions of one digit at a time. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Appends the decimal digits of a non-negative value (no leading zeros) at {@code at}. */
    private int append(long value, int at) {
        int end = at + digitCount(value);
        int pos = end;
        long v = value;
        while (v >= 100) {
            int r = (int) (v % 100);
            v /= 100;
            buffer[--pos] = PAIRS[2 * r + 1];
            buffer[--pos] = PAIRS[2 * r];
        }
        if (v >= 10) {
            buffer[--pos] = PAIRS[2 * (int) v + 1];
            buffer[--pos] = PAIRS[2 * (int) v];
        } else {
            buffer[--pos] = (byte) ('0' + v);
        }
        return end;
    }

    private static int digitCount(long v) {
        int n = 1;
        while (n < 19 && v >= Decimals.pow10(n)) {
            n++;
        }
        return n;
    }
}
