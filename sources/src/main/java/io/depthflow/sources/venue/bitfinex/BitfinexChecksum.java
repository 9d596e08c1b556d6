package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.venue.BookChecksum;
import io.depthflow.sources.venue.BookLevels;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Bitfinex's order book checksum (docs "WebSocket Checksum", flag {@code OB_CHECKSUM} 131072): the
 * CRC32 of the top {@value #LEVELS} bids and asks of a P-precision book, interleaved level by level
 * — {@code bid[0].price, bid[0].amount, ask[0].price, ask[0].amount, bid[1].price, ...} — with ask
 * amounts negative (as the feed sends them), each value written as Bitfinex writes it ({@link
 * JsNumbers#appendJs}), joined by {@code ':'}. A side with fewer levels simply contributes fewer
 * values. Bitfinex sends the result as a signed 32-bit integer in {@code [CHAN_ID, "cs", CHECKSUM,
 * SEQ]}; {@link #signed} returns that signed value, {@link #compute} the same 32 bits unsigned (the
 * contract's {@link BookChecksum} form; the decoder maps the message's value alike).
 *
 * <p>Cross-checked against ccxt's {@code handleChecksum} (ts/src/pro/bitfinex.ts: the same
 * interleaving, {@code -amount} for asks, {@code ':'} join, signed CRC32) and against the two
 * expected checksums of Bitfinex's own Python client tests ({@code BitfinexChecksumTest}), one of
 * which needs JavaScript's e-notation ({@code 7e-7}, {@code 6e-8}) to match. One instance per
 * thread (reuses its buffer); not thread-safe.
 */
@Internal
public final class BitfinexChecksum implements BookChecksum {

    /** Levels per side that the checksum covers. */
    public static final int LEVELS = 25;

    private final StringBuilder text = new StringBuilder(2 * LEVELS * 2 * 24);
    private final CRC32 crc = new CRC32();

    /** The signed CRC32 of the book's top 25 levels per side, as Bitfinex sends it. */
    public int signed(BookLevels book) {
        return crc(payload(book));
    }

    /** {@link #signed} as an unsigned 32-bit value, 0..2^32-1. */
    @Override
    public long compute(BookLevels book) {
        return signed(book) & 0xFFFF_FFFFL;
    }

    @Override
    public String coverage() {
        return "top " + LEVELS + " levels per side";
    }

    /** The string the checksum is taken over (for diagnostics and tests). */
    public String payload(BookLevels book) {
        text.setLength(0);
        int ps = book.priceScale();
        int ss = book.sizeScale();
        int bids = Math.min(LEVELS, book.bidCount());
        int asks = Math.min(LEVELS, book.askCount());
        for (int i = 0; i < Math.max(bids, asks); i++) {
            if (i < bids) {
                separate();
                JsNumbers.appendJs(text, false, book.bidPrice(i), ps);
                text.append(':');
                JsNumbers.appendJs(text, false, book.bidSize(i), ss);
            }
            if (i < asks) {
                separate();
                JsNumbers.appendJs(text, false, book.askPrice(i), ps);
                text.append(':');
                JsNumbers.appendJs(text, true, book.askSize(i), ss);
            }
        }
        return text.toString();
    }

    private void separate() {
        if (text.length() > 0) {
            text.append(':');
        }
    }

    private int crc(String s) {
        crc.reset();
        crc.update(s.getBytes(StandardCharsets.US_ASCII));
        return (int) crc.getValue();
    }
}
