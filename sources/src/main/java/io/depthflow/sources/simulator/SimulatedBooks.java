package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.markets.Markets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic moving order books. Each market has one seeded random walk of its "true" mid
 * (BTC/USD from 90,000, ETH/USD from 3,000; a few basis points per step, pulled back towards the
 * start so that it stays within a band for hours); each exchange quotes around it with its best bid
 * below it and its best ask above it, one to three ticks wide, so exchanges never cross each other
 * (only {@link Fault#CROSSED_BOOK} crosses a book) while the cheaper venue changes from step to
 * step. A book's step is the number of book requests for that exchange and market before it,
 * faulted ones included, so the same seed and the same request sequence give the same books
 * whatever the timing, and exchanges polled together stay on the same step of the mid.
 *
 * <p>Prices are exact integers on each exchange's tick (Coinbase 0.01; Kraken 0.1 for XBTUSD, 0.01
 * for ETHUSD) at scale 5; sizes are integers of 1e-8 units. Random draws use {@code double} to
 * shape the synthetic data only; nothing is parsed back through it.
 */
@PublicEvolving
public final class SimulatedBooks {

    /** Price unit of the mid walk: 1e-5 USD. */
    public static final int SCALE = 5;

    private static final Map<String, MarketSpec> MARKETS =
            Map.of(
                    Markets.BTC_USD, new MarketSpec(9_000_000_000L, 3.0, 15_000_000L),
                    Markets.ETH_USD, new MarketSpec(300_000_000L, 4.0, 400_000_000L));

    private final long seed;
    private final Map<String, List<Long>> midPaths = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();
    private final Map<String, Long> sequences = new HashMap<>();

    SimulatedBooks(long seed) {
        this.seed = seed;
    }

    static boolean supports(String market) {
        return MARKETS.containsKey(market);
    }

    /** The next book of {@code exchange} for {@code market}, {@code depth} levels per side. */
    /**
     * The next book of {@code exchange} for {@code market} on a grid of {@code tick} (units of
     * 1e-5).
     */
    synchronized Book next(String exchange, String market, int depth, long tick) {
        MarketSpec spec = MARKETS.get(market);
        String key = exchange + ":" + market;
        int step = steps.merge(key, 1, Integer::sum) - 1;
        long commonMid = mid(market, spec, step);
        SplittableRandom rnd = random(key, step);

        // The common mid lies strictly inside every exchange's spread (it is never on a tick):
        // the highest tick below it and the lowest above it, one side or both up to two ticks
        // further out (1 to 3 ticks wide in all), so which venue is cheaper changes.
        long below = Math.floorDiv(commonMid, tick) * tick;
        int askOut = rnd.nextInt(3);
        int bidOut = rnd.nextInt(3 - askOut);
        long bestBid = below - bidOut * tick;
        long bestAsk = below + tick + askOut * tick;

        Book book = new Book(depth);
        long bid = bestBid;
        long ask = bestAsk;
        for (int i = 0; i < depth; i++) {
            book.bidPrices[i] = bid;
            book.askPrices[i] = ask;
            book.bidSizes[i] = size(spec, i, rnd);
            book.askSizes[i] = size(spec, i, rnd);
            book.bidOrders[i] = 1 + rnd.nextInt(8);
            book.askOrders[i] = 1 + rnd.nextInt(8);
            book.bidAges[i] = rnd.nextInt(120);
            book.askAges[i] = rnd.nextInt(120);
            bid -= gap(rnd) * tick;
            ask += gap(rnd) * tick;
        }
        book.sequence =
                sequences.merge(
                        key,
                        13_051_505_638L + (market.hashCode() & 0xffff),
                        (a, b) -> a + 1 + rnd.nextInt(400));
        book.micros = rnd.nextInt(1000);
        book.tick = tick;
        return book;
    }

    /**
     * A request that was answered with a fault instead of a book still takes its step, so that
     * exchanges polled together stay on the same step of the common mid.
     */
    synchronized void skip(String exchange, String market) {
        if (supports(market)) {
            steps.merge(exchange + ":" + market, 1, Integer::sum);
        }
    }

    /**
     * The common mid of a market at a step: a random walk pulled back 1% of the way to the start
     * each step (stationary spread about 20 bps), off every tick (an odd multiple of 5e-5), cached.
     */
    private long mid(String market, MarketSpec spec, int step) {
        List<Long> path =
                midPaths.computeIfAbsent(market, m -> new ArrayList<>(List.of(spec.startMid + 5)));
        while (path.size() <= step) {
            long previous = path.get(path.size() - 1);
            double moveBps = spec.stepBps * random(market, path.size()).nextGaussian();
            long next =
                    previous
                            + Math.round(previous * moveBps / 10_000)
                            + Math.round(0.01 * (spec.startMid - previous));
            path.add(Math.floorDiv(next, 10) * 10 + 5);
        }
        return path.get(step);
    }

    /**
     * Fills in what a REST response carries besides prices and sizes (order counts, level ages,
     * sequence, time) for a book taken from a live WebSocket book ({@link
     * StreamSimulator#restBook}).
     */
    synchronized Book decorate(String exchange, String market, Book book) {
        String key = exchange + ":" + market;
        int step = steps.merge(key, 1, Integer::sum) - 1;
        SplittableRandom rnd = random(key, step);
        for (int i = 0; i < book.bidPrices.length; i++) {
            book.bidOrders[i] = 1 + rnd.nextInt(8);
            book.bidAges[i] = rnd.nextInt(120);
        }
        for (int i = 0; i < book.askPrices.length; i++) {
            book.askOrders[i] = 1 + rnd.nextInt(8);
            book.askAges[i] = rnd.nextInt(120);
        }
        book.sequence =
                sequences.merge(
                        key,
                        13_051_505_638L + (market.hashCode() & 0xffff),
                        (a, b) -> a + 1 + rnd.nextInt(400));
        book.micros = rnd.nextInt(1000);
        return book;
    }

    private SplittableRandom random(String key, int step) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key.hashCode() * 31L + step);
    }

    /** Lognormal-ish sizes, growing with depth; $100k spans several levels at the top. */
    private static long size(MarketSpec spec, int level, SplittableRandom rnd) {
        double factor = Math.exp(0.8 * rnd.nextGaussian() - 0.32) * (1 + level / 40.0);
        return Math.max(10_000L, Math.round(spec.meanSize * factor / 1_000) * 1_000);
    }

    /** Ticks between adjacent levels: mostly 1, sometimes a few. */
    private static int gap(SplittableRandom rnd) {
        return rnd.nextDouble() < 0.6 ? 1 : 2 + rnd.nextInt(3);
    }

    private static final class MarketSpec {
        final long startMid;
        final double stepBps;
        final long meanSize;

        MarketSpec(long startMid, double stepBps, long meanSize) {
            this.startMid = startMid;
            this.stepBps = stepBps;
            this.meanSize = meanSize;
        }
    }

    /** One generated book, best levels first, prices at {@link #SCALE}, sizes in 1e-8 units. */
    public static final class Book {
        public long[] bidPrices;
        public long[] bidSizes;
        public final long[] askPrices;
        public final long[] askSizes;
        public int[] bidOrders;
        public final int[] askOrders;

        /** Seconds since each level last changed (Kraken's level timestamps). */
        public int[] bidAges;

        public final int[] askAges;
        public long sequence;
        public int micros;
        public long tick;

        Book(int depth) {
            this(depth, depth);
        }

        Book(int bidDepth, int askDepth) {
            bidPrices = new long[bidDepth];
            bidSizes = new long[bidDepth];
            askPrices = new long[askDepth];
            askSizes = new long[askDepth];
            bidOrders = new int[bidDepth];
            askOrders = new int[askDepth];
            bidAges = new int[bidDepth];
            askAges = new int[askDepth];
        }

        /** Leaves the bid side empty. */
        void removeBids() {
            bidPrices = new long[0];
            bidSizes = new long[0];
            bidOrders = new int[0];
            bidAges = new int[0];
        }
    }
}
