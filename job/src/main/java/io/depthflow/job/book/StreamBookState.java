package io.depthflow.job.book;

import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.model.IngestError;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Everything the stream job keeps per (exchange, market): the live book and its sync status
 * ({@link BookSync}), and the open window's time-weighted mid accumulator. Pure Java; the Flink
 * state type of the {@code book-builder} (serialized by {@code StreamBookStateSerializer}).
 *
 * <p><b>Time weighting.</b> Between two events the book stands still; a state that stood {@code dt}
 * milliseconds within the window adds {@code (bestBid + bestAsk) × dt} to an exact 128-bit integral
 * (unscaled at {@link #integralScale}, raised with the book's price scale), and {@code dt} to {@link
 * #goodMs()}, but only while the book is <i>usable</i>: synced, both sides non-empty, not crossed.
 * The window's mid is {@code integral / (2 × goodMs)}. Time while the book is not usable counts
 * nowhere and the window's {@link #flag()} names the first reason: {@code no_snapshot}, {@code
 * sequence_gap}, {@code checksum_mismatch}, {@code stale_feed}, {@code disconnected}, {@code
 * job_restarted}, {@code invalid}, {@code crossed_book} or {@code empty_book}; {@code ok} means
 * usable for the whole window.
 *
 * <p>Times are the events' received times (event time), clamped to never go backwards within a
 * book. Not thread-safe.
 */
public final class StreamBookState {

    /** Flag of a window whose book was usable throughout. */
    public static final String OK = "ok";

    public static final long WINDOW_MS = 60_000L;

    private final String exchange;
    private final String market;
    private final BookSync sync;

    /** Which run of the job last touched this state (a restore starts a new run). */
    private long epoch;

    /** Start of the open window. */
    private long windowStart;

    /** Time up to which the open window has been integrated (the last event's time). */
    private long lastTime;

    /** Time of the last book message applied (the book's age). */
    private long bookTime;

    private final Int128 integral = new Int128();
    private int integralScale;
    private long goodMs;
    private int samples;
    private String flag;

    /** Top of the last usable state of the window, unscaled at {@link #integralScale}; 0 if none. */
    private long lastBid;
    private long lastAsk;

    public StreamBookState(String exchange, String market, BookSync sync, long epoch, long startTime) {
        this.exchange = exchange;
        this.market = market;
        this.sync = sync;
        this.epoch = epoch;
        this.windowStart = windowStart(startTime);
        this.lastTime = startTime;
        this.flag = usable() ? OK : reason();
    }

    /** Restores every field (used by the state serializer). */
    public StreamBookState(
            String exchange,
            String market,
            BookSync sync,
            long epoch,
            long windowStart,
            long lastTime,
            long bookTime,
            Int128 integral,
            int integralScale,
            long goodMs,
            int samples,
            String flag,
            long lastBid,
            long lastAsk) {
        this.exchange = exchange;
        this.market = market;
        this.sync = sync;
        this.epoch = epoch;
        this.windowStart = windowStart;
        this.lastTime = lastTime;
        this.bookTime = bookTime;
        this.integral.set(integral);
        this.integralScale = integralScale;
        this.goodMs = goodMs;
        this.samples = samples;
        this.flag = flag;
        this.lastBid = lastBid;
        this.lastAsk = lastAsk;
    }

    /** Start of the minute containing {@code t} (UTC epoch ms). */
    public static long windowStart(long t) {
        return Math.floorDiv(t, WINDOW_MS) * WINDOW_MS;
    }

    public String exchange() {
        return exchange;
    }

    public String market() {
        return market;
    }

    public BookSync sync() {
        return sync;
    }

    public L2Book book() {
        return sync.book();
    }

    public long epoch() {
        return epoch;
    }

    public long windowStart() {
        return windowStart;
    }

    /** End (exclusive) of the open window. */
    public long windowEnd() {
        return windowStart + WINDOW_MS;
    }

    public long lastTime() {
        return lastTime;
    }

    public long bookTime() {
        return bookTime;
    }

    public Int128 integral() {
        return integral;
    }

    public int integralScale() {
        return integralScale;
    }

    public long goodMs() {
        return goodMs;
    }

    public int samples() {
        return samples;
    }

    public String flag() {
        return flag;
    }

    public long lastBid() {
        return lastBid;
    }

    public long lastAsk() {
        return lastAsk;
    }

    /** Synced, both sides present, not crossed: the only state quotes and mids are taken from. */
    public boolean usable() {
        L2Book b = sync.book();
        return sync.isSynced() && b.hasBothSides() && !b.isCrossed();
    }

    /** Why the book is not usable ({@link #OK} when it is). */
    public String reason() {
        if (!sync.isSynced()) {
            return sync.status().wireName();
        }
        L2Book b = sync.book();
        if (!b.hasBothSides()) {
            return IngestError.EMPTY_BOOK;
        }
        return b.isCrossed() ? IngestError.CROSSED_BOOK : OK;
    }

    /**
     * A new run of the job owns this state: whatever happened between the checkpoint and now was
     * not seen, so a synced book is dropped from the last time it was known.
     */
    public void adoptEpoch(long newEpoch) {
        if (epoch != newEpoch) {
            epoch = newEpoch;
            if (sync.isSynced()) {
                sync.invalidate(BookSync.Status.RESTARTED);
            }
            noteChange(false);
        }
    }

    /** Integrates the current state up to {@code t} (within the open window: {@code t <= windowEnd}). */
    public void integrateTo(long t) {
        long dt = t - lastTime;
        if (dt <= 0) {
            return;
        }
        if (usable()) {
            L2Book b = sync.book();
            alignScale(b.priceScale());
            integral.addProduct(b.bestBid() + b.bestAsk(), dt);
            goodMs += dt;
            lastBid = b.bestBid();
            lastAsk = b.bestAsk();
        }
        lastTime = t;
    }

    /**
     * Records that the book changed at the current time: a new usable state counts as a sample; a
     * state that is not usable flags the window.
     *
     * @param bookMessage whether a book message (snapshot or update) was applied
     */
    public void noteChange(boolean bookMessage) {
        if (usable()) {
            if (bookMessage) {
                samples++;
                bookTime = lastTime;
            }
            L2Book b = sync.book();
            alignScale(b.priceScale());
            lastBid = b.bestBid();
            lastAsk = b.bestAsk();
        } else if (OK.equals(flag)) {
            flag = reason();
        }
    }

    /**
     * Records that a message which belonged to an earlier, already closed window changed the book
     * in this one: the window is flagged {@code late} unless an earlier reason flagged it already.
     */
    public void flagLate() {
        if (OK.equals(flag)) {
            flag = IngestError.LATE;
        }
    }

    /** Closes the open window at its end and opens the next one with the current state carried in. */
    public void rollWindow() {
        rollWindowTo(windowStart + WINDOW_MS);
    }

    /**
     * Closes the open window and opens the one starting at {@code start} (a later minute), with the
     * current state carried in: the windows in between are skipped, not stored (a long silence
     * costs no state; the caller accounts for them).
     */
    public void rollWindowTo(long start) {
        if (start <= windowStart || start != windowStart(start)) {
            throw new IllegalArgumentException("not a later window start: " + start + " after " + windowStart);
        }
        windowStart = start;
        lastTime = Math.max(lastTime, start);
        integral.setZero();
        goodMs = 0;
        boolean usable = usable();
        samples = usable ? 1 : 0;
        flag = usable ? OK : reason();
        if (usable) {
            L2Book b = sync.book();
            integralScale = b.priceScale();
            lastBid = b.bestBid();
            lastAsk = b.bestAsk();
        } else {
            lastBid = 0;
            lastAsk = 0;
        }
    }

    /** The window's time-weighted mid, exact to 34 digits; null when no usable time. */
    public BigDecimal timeWeightedMid(MathContext mc) {
        if (goodMs == 0) {
            return null;
        }
        return new BigDecimal(integral.toBigInteger(), integralScale).divide(BigDecimal.valueOf(2 * goodMs), mc);
    }

    /** Raises the integral's and last top's scale to the book's price scale (books only rescale up). */
    private void alignScale(int priceScale) {
        if (priceScale > integralScale) {
            long factor = Decimals.pow10(priceScale - integralScale);
            integral.multiply(factor);
            lastBid *= factor;
            lastAsk *= factor;
            integralScale = priceScale;
        }
    }

    /** An independent copy: the closed window's state kept until its timer fires. */
    public StreamBookState copy() {
        L2Book b = sync.book().copy();
        return new StreamBookState(exchange, market, new BookSync(b, sync.status(), sync.depth(), sync.depths()), epoch, windowStart,
                lastTime, bookTime, integral, integralScale, goodMs, samples, flag, lastBid, lastAsk);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StreamBookState)) {
            return false;
        }
        StreamBookState s = (StreamBookState) o;
        return exchange.equals(s.exchange) && market.equals(s.market) && epoch == s.epoch && windowStart == s.windowStart
                && lastTime == s.lastTime && bookTime == s.bookTime && integral.equals(s.integral)
                && integralScale == s.integralScale && goodMs == s.goodMs && samples == s.samples && flag.equals(s.flag)
                && lastBid == s.lastBid && lastAsk == s.lastAsk && sync.status() == s.sync.status()
                && sync.depth() == s.sync.depth() && sync.book().equals(s.sync.book());
    }

    @Override
    public int hashCode() {
        return exchange.hashCode() * 31 + market.hashCode() + Long.hashCode(windowStart) + sync.book().hashCode();
    }

    @Override
    public String toString() {
        return "StreamBookState{" + exchange + ' ' + market + ' ' + sync.status().wireName() + ' ' + sync.book()
                + " window=" + windowStart + " goodMs=" + goodMs + " samples=" + samples + " flag=" + flag + '}';
    }
}
