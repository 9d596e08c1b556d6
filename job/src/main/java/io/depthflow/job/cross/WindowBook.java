package io.depthflow.job.cross;

import io.depthflow.sources.model.OrderBookSnapshot;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * One venue's book at a window's end, cut to what the cross-venue liquidity stage needs ({@link
 * LiquidityOptions#truncate}), with how much data the venue's window had. Emitted by the per-book
 * operators at the window's end (timestamp {@code window_end - 1}) and kept by {@link
 * LiquidityStage} until the window closes.
 *
 * <p>Flink POJO; class name, package and field types are part of the savepoint format: evolve by
 * adding or removing fields only.
 */
public class WindowBook {

    /** Window start, UTC epoch ms. */
    public long windowStart;

    /** The venue's polls (poll mode) or book changes (stream mode) in the window. */
    public int samples;

    /** Polls the window should have had (poll mode; 0 when unknown). */
    public int expectedSamples;

    /** Milliseconds of the window the book was usable (stream mode; 0 in poll mode). */
    public long goodMs;

    /** The book at the window's end, cut; its exchange and market name the venue and market. */
    public OrderBookSnapshot book;

    /**
     * Stream mode: the depth bands (bps) of {@link #twBidNotional} and {@link #twAskNotional}; null
     * in poll mode and when the window has no time-weighted bands.
     */
    public int[] twBandsBps;

    /**
     * Per band of {@link #twBandsBps}: the bid notional within it, time-weighted over the usable
     * time.
     */
    public BigDecimal[] twBidNotional;

    /**
     * Per band of {@link #twBandsBps}: the ask notional within it, time-weighted over the usable
     * time.
     */
    public BigDecimal[] twAskNotional;

    public WindowBook() {}

    public WindowBook(
            long windowStart,
            int samples,
            int expectedSamples,
            long goodMs,
            OrderBookSnapshot book) {
        this.windowStart = windowStart;
        this.samples = samples;
        this.expectedSamples = expectedSamples;
        this.goodMs = goodMs;
        this.book = book;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WindowBook)) {
            return false;
        }
        WindowBook that = (WindowBook) o;
        return windowStart == that.windowStart
                && samples == that.samples
                && expectedSamples == that.expectedSamples
                && goodMs == that.goodMs
                && Objects.equals(book, that.book)
                && Arrays.equals(twBandsBps, that.twBandsBps)
                && Arrays.equals(twBidNotional, that.twBidNotional)
                && Arrays.equals(twAskNotional, that.twAskNotional);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                windowStart,
                samples,
                expectedSamples,
                goodMs,
                book,
                Arrays.hashCode(twBandsBps),
                Arrays.hashCode(twBidNotional),
                Arrays.hashCode(twAskNotional));
    }

    @Override
    public String toString() {
        return "WindowBook{windowStart="
                + windowStart
                + ", samples="
                + samples
                + ", expectedSamples="
                + expectedSamples
                + ", goodMs="
                + goodMs
                + ", book="
                + book
                + ", twBandsBps="
                + Arrays.toString(twBandsBps)
                + ", twBidNotional="
                + Arrays.toString(twBidNotional)
                + ", twAskNotional="
                + Arrays.toString(twAskNotional)
                + '}';
    }
}
