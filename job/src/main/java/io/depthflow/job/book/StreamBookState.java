package io.depthflow.job.book;

import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.model.IngestError;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Arrays;

/**
 * Everything the stream job keeps per (exchange, market): the live book and its sync status ({@link
 * BookSync}), and the open window's time-weighted mid accumulator. Pure Java; the Flink state type
 * of the {@code book-builder} (serialized by {@code StreamBookStateSerializer}).
 *
 * <p><b>Time weighting.</b> Between two events the book stands still; a state that stood {@code dt}
 * milliseconds within the window adds {@code (bestBid + bestAsk) × dt} to an exact 128-bit integral
 * (unscaled at {@link #integralScale}, raised with the book's price scale), and {@code dt} to
 * {@link #goodMs()}, but only while the book is <i>usable</i>: synced, both sides non-empty, not
 * crossed. The window's mid is {@code integral / (2 × goodMs)}. Time while the book is not usable
 * counts nowhere and the window's {@link #flag()} names the first reason: {@code no_snapshot},
 * {@code sequence_gap}, {@code checksum_mismatch}, {@code stale_feed}, {@code disconnected}, {@code
 * job_restarted}, {@code invalid}, {@code crossed_book} or {@code empty_book}; {@code ok} means
 * usable for the whole window.
 *
 * <p><b>Time-weighted depth bands.</b> When the job names its depth bands ({@link #trackBands}),
 * each step that adds to {@link #goodMs()} also adds, per band {@code b} and side, the notional
 * within {@code b} bps of the book's own mid (Σ p × q over bids with {@code p ≥ mid × (1 − b/10⁴)},
 * over asks with {@code p ≤ mid × (1 + b/10⁴)}: the depth-band definition of the README) times
 * {@code dt} to an exact 128-bit integral at scale priceScale + sizeScale ({@link #bandScale()}),
 * and {@code dt} to {@link #bandMs()}. The window's time-weighted band notional is {@code integral
 * / bandMs}. {@code bandMs} equals {@code goodMs} except in a window that began before the bands
 * were tracked (a restore of a state without them, or with other bands): there it covers the usable
 * time since. The bands are computed once per book change (cached until {@link #noteChange}), so a
 * step costs one multiply-add per band and side.
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

    /**
     * Top of the last usable state of the window, unscaled at {@link #integralScale}; 0 if none.
     */
    private long lastBid;

    private long lastAsk;

    /** The depth bands integrated (bps, in the job's order); null: none. */
    private int[] bandsBps;

    /** Indices of {@link #bandsBps} from the narrowest band to the widest. */
    private int[] bandOrder;

    /** Per band: Σ notional × ms over the window's usable time, unscaled at {@link #bandScale}. */
    private Int128[] bidBandIntegral;

    private Int128[] askBandIntegral;
    private int bandScale;

    /**
     * Milliseconds integrated into the band integrals in the open window; -1: too large for 127
     * bits.
     */
    private long bandMs;

    /**
     * The current book's band notionals at scale priceScale + sizeScale, valid while {@link
     * #bandsCached}.
     */
    private Int128[] bidBandNow;

    private Int128[] askBandNow;
    private boolean bandsCached;
    private final Int128 scratch = new Int128();

    public StreamBookState(
            String exchange, String market, BookSync sync, long epoch, long startTime) {
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

    /**
     * Integrates the current state up to {@code t} (within the open window: {@code t <=
     * windowEnd}).
     */
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
            if (bandsBps != null && bandMs >= 0) {
                integrateBands(b, dt);
            }
        }
        lastTime = t;
    }

    /**
     * Integrates the depth bands of {@code bandsBps} (the job's {@code --bands}) from now on. The
     * same bands as before keep their integrals; other bands (or none before: a state restored from
     * a format without them) start empty, so the open window's averages cover its usable time from
     * here. Null: no bands.
     */
    public void trackBands(int[] bands) {
        if (bands == bandsBps || Arrays.equals(bands, bandsBps)) {
            bandsBps = bands; // the caller's array from now on: the next check is one comparison
            return;
        }
        if (bands == null) {
            restoreBands(null, 0, 0, null, null);
            return;
        }
        Int128[] bid = new Int128[bands.length];
        Int128[] ask = new Int128[bands.length];
        for (int k = 0; k < bands.length; k++) {
            bid[k] = new Int128();
            ask[k] = new Int128();
        }
        restoreBands(bands, 0, 0, bid, ask);
    }

    /**
     * Sets the band integrals (the state serializer and {@link #copy()}); the arrays are taken as
     * they are.
     */
    public void restoreBands(
            int[] bands, long ms, int scale, Int128[] bidIntegrals, Int128[] askIntegrals) {
        bandsBps = bands;
        bandMs = ms;
        bandScale = scale;
        bidBandIntegral = bidIntegrals;
        askBandIntegral = askIntegrals;
        bandsCached = false;
        if (bands == null) {
            bandOrder = null;
            bidBandNow = null;
            askBandNow = null;
            return;
        }
        Integer[] order = new Integer[bands.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (x, y) -> Integer.compare(bands[x], bands[y]));
        bandOrder = new int[bands.length];
        bidBandNow = new Int128[bands.length];
        askBandNow = new Int128[bands.length];
        for (int k = 0; k < order.length; k++) {
            bandOrder[k] = order[k];
            bidBandNow[k] = new Int128();
            askBandNow[k] = new Int128();
        }
    }

    /**
     * Adds each band's current notional × {@code dt}; a window whose integrals outgrow 127 bits
     * loses them.
     */
    private void integrateBands(L2Book b, long dt) {
        try {
            int scale = b.priceScale() + b.sizeScale();
            if (!bandsCached) {
                computeBands(b);
                bandsCached = true;
            }
            if (bandMs == 0) {
                bandScale = scale;
            } else if (scale > bandScale) {
                long factor = Decimals.pow10(scale - bandScale);
                for (int k = 0; k < bandsBps.length; k++) {
                    bidBandIntegral[k].multiply(factor);
                    askBandIntegral[k].multiply(factor);
                }
                bandScale = scale;
            }
            long factor = scale < bandScale ? Decimals.pow10(bandScale - scale) : 1;
            for (int k = 0; k < bandsBps.length; k++) {
                addTimes(bidBandIntegral[k], bidBandNow[k], factor, dt);
                addTimes(askBandIntegral[k], askBandNow[k], factor, dt);
            }
            bandMs += dt;
        } catch (ArithmeticException tooLarge) {
            bandMs = -1;
        }
    }

    private void addTimes(Int128 into, Int128 notional, long factor, long dt) {
        scratch.set(notional);
        if (factor != 1) {
            scratch.multiply(factor);
        }
        scratch.multiply(dt);
        into.add(scratch);
    }

    /**
     * The book's band notionals into {@link #bidBandNow}/{@link #askBandNow}: the levels inside a
     * band are a prefix of the side (best first), so one pass from the narrowest band to the
     * widest. In integers, with {@code m2 = bestBid + bestAsk} (twice the mid): a bid is inside
     * band {@code b} when {@code p × 20000 ≥ m2 × (10⁴ − b)}, that is {@code p ≥ ceil(m2 × (10⁴ −
     * b) / 20000)}; an ask when {@code p × 20000 ≤ m2 × (10⁴ + b)}, that is {@code p ≤ floor(m2 ×
     * (10⁴ + b) / 20000)}: one exact edge per band, then one comparison per level.
     */
    private void computeBands(L2Book b) {
        long m2 = Math.addExact(b.bestBid(), b.bestAsk());
        // The running sum is kept in two locals (hi, unsigned lo), not in an Int128: one pass over
        // up to every level per change is this class's hottest loop.
        int n = b.bidCount();
        int i = 0;
        long hi = 0;
        long lo = 0;
        for (int k : bandOrder) {
            long edge = edge(m2, 10_000L - bandsBps[k], true);
            for (; i < n; i++) {
                long p = b.bidPrice(i);
                if (p < edge) {
                    break;
                }
                long q = b.bidSize(i);
                long sum = lo + p * q;
                hi =
                        Math.addExact(
                                hi,
                                Math.multiplyHigh(p, q)
                                        + (Long.compareUnsigned(sum, lo) < 0 ? 1 : 0));
                lo = sum;
            }
            bidBandNow[k].set(hi, lo);
        }
        n = b.askCount();
        i = 0;
        hi = 0;
        lo = 0;
        for (int k : bandOrder) {
            long edge = edge(m2, 10_000L + bandsBps[k], false);
            for (; i < n; i++) {
                long p = b.askPrice(i);
                if (p > edge) {
                    break;
                }
                long q = b.askSize(i);
                long sum = lo + p * q;
                hi =
                        Math.addExact(
                                hi,
                                Math.multiplyHigh(p, q)
                                        + (Long.compareUnsigned(sum, lo) < 0 ? 1 : 0));
                lo = sum;
            }
            askBandNow[k].set(hi, lo);
        }
    }

    /**
     * {@code m2 × factor / 20000}, rounded up ({@code ceil}) or down, exactly; non-negative inputs.
     */
    static long edge(long m2, long factor, boolean ceil) {
        long hi = Math.multiplyHigh(m2, factor);
        long lo = m2 * factor;
        if (hi == 0 && lo >= 0) {
            long q = lo / 20_000L;
            return ceil && q * 20_000L != lo ? q + 1 : q;
        }
        BigInteger[] qr =
                BigInteger.valueOf(m2)
                        .multiply(BigInteger.valueOf(factor))
                        .divideAndRemainder(BigInteger.valueOf(20_000L));
        BigInteger q = ceil && qr[1].signum() != 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        return q.bitLength() < 64 ? q.longValue() : Long.MAX_VALUE;
    }

    /** The depth bands integrated (bps), null when none. */
    public int[] bandsBps() {
        return bandsBps;
    }

    /**
     * Usable milliseconds behind the band integrals in the open window; -1 when they outgrew 127
     * bits.
     */
    public long bandMs() {
        return bandMs;
    }

    public int bandScale() {
        return bandScale;
    }

    /**
     * Per band (in {@link #bandsBps()} order): Σ bid notional × ms, unscaled at {@link
     * #bandScale()}.
     */
    public Int128[] bidBandIntegrals() {
        return bidBandIntegral;
    }

    /** Per band: Σ ask notional × ms, unscaled at {@link #bandScale()}. */
    public Int128[] askBandIntegrals() {
        return askBandIntegral;
    }

    /**
     * The window's time-weighted bid (or ask) notional per band, in {@link #bandsBps()} order, to
     * {@code mc}; null when no bands are tracked or no usable time was integrated.
     */
    public BigDecimal[] timeWeightedBands(boolean bid, MathContext mc) {
        if (bandsBps == null || bandMs <= 0) {
            return null;
        }
        Int128[] integrals = bid ? bidBandIntegral : askBandIntegral;
        BigDecimal ms = BigDecimal.valueOf(bandMs);
        BigDecimal[] out = new BigDecimal[integrals.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = new BigDecimal(integrals[k].toBigInteger(), bandScale).divide(ms, mc);
        }
        return out;
    }

    /**
     * Records that the book changed at the current time: a new usable state counts as a sample; a
     * state that is not usable flags the window.
     *
     * @param bookMessage whether a book message (snapshot or update) was applied
     */
    public void noteChange(boolean bookMessage) {
        bandsCached = false;
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

    /**
     * Closes the open window at its end and opens the next one with the current state carried in.
     */
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
            throw new IllegalArgumentException(
                    "not a later window start: " + start + " after " + windowStart);
        }
        windowStart = start;
        lastTime = Math.max(lastTime, start);
        integral.setZero();
        goodMs = 0;
        if (bandsBps != null) {
            for (int k = 0; k < bandsBps.length; k++) {
                bidBandIntegral[k].setZero();
                askBandIntegral[k].setZero();
            }
            bandMs = 0;
            bandScale = 0;
        }
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
        return new BigDecimal(integral.toBigInteger(), integralScale)
                .divide(BigDecimal.valueOf(2 * goodMs), mc);
    }

    /**
     * Raises the integral's and last top's scale to the book's price scale (books only rescale up).
     */
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
        StreamBookState c =
                new StreamBookState(
                        exchange,
                        market,
                        new BookSync(b, sync.status(), sync.depth(), sync.depths()),
                        epoch,
                        windowStart,
                        lastTime,
                        bookTime,
                        integral,
                        integralScale,
                        goodMs,
                        samples,
                        flag,
                        lastBid,
                        lastAsk);
        if (bandsBps != null) {
            c.restoreBands(
                    bandsBps, bandMs, bandScale, copyOf(bidBandIntegral), copyOf(askBandIntegral));
        }
        return c;
    }

    private static Int128[] copyOf(Int128[] values) {
        Int128[] out = new Int128[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = Int128.of(values[k].hi(), values[k].lo());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StreamBookState)) {
            return false;
        }
        StreamBookState s = (StreamBookState) o;
        return exchange.equals(s.exchange)
                && market.equals(s.market)
                && epoch == s.epoch
                && windowStart == s.windowStart
                && lastTime == s.lastTime
                && bookTime == s.bookTime
                && integral.equals(s.integral)
                && integralScale == s.integralScale
                && goodMs == s.goodMs
                && samples == s.samples
                && flag.equals(s.flag)
                && lastBid == s.lastBid
                && lastAsk == s.lastAsk
                && sync.status() == s.sync.status()
                && sync.depth() == s.sync.depth()
                && sync.book().equals(s.sync.book())
                && Arrays.equals(bandsBps, s.bandsBps)
                && bandMs == s.bandMs
                && bandScale == s.bandScale
                && Arrays.equals(bidBandIntegral, s.bidBandIntegral)
                && Arrays.equals(askBandIntegral, s.askBandIntegral);
    }

    @Override
    public int hashCode() {
        return exchange.hashCode() * 31
                + market.hashCode()
                + Long.hashCode(windowStart)
                + sync.book().hashCode();
    }

    @Override
    public String toString() {
        return "StreamBookState{"
                + exchange
                + ' '
                + market
                + ' '
                + sync.status().wireName()
                + ' '
                + sync.book()
                + " window="
                + windowStart
                + " goodMs="
                + goodMs
                + " samples="
                + samples
                + " flag="
                + flag
                + '}';
    }
}
