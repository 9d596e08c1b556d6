package io.depthflow.job.cross;

import io.depthflow.job.liquidity.Band;
import io.depthflow.job.liquidity.Dislocation;
import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.liquidity.Route;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.Arbitrage;
import io.depthflow.sources.model.LiquidityBand;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RoutedExecution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The rows of one (window, market) of the liquidity tables, from the venues' window-end books: the
 * math is {@link Liquidity}'s; this class only turns its results into the table rows and attaches
 * completeness (the venues behind each row and their data). Pure Java.
 */
public final class LiquidityRows {

    /** {@code exchange} of the consolidated band rows. */
    public static final String ALL = "all";

    private LiquidityRows() {}

    /**
     * Every row of the window: per side and notional a route (none for a side no venue has a level
     * on), per venue and band a band row and per band a consolidated one (none for a venue without
     * both sides), per profitable ordered pair a dislocation.
     *
     * @param books the window's books, one per venue (any order)
     * @param expectedExchanges the venues configured for the market, 0 when unknown
     */
    public static void of(
            List<WindowBook> books,
            LiquidityOptions options,
            int expectedExchanges,
            Consumer<RoutedExecution> routes,
            Consumer<LiquidityBand> bands,
            Consumer<Arbitrage> arbitrage) {
        if (books.isEmpty()) {
            return;
        }
        List<WindowBook> sorted = new ArrayList<>(books);
        sorted.sort(Comparator.comparing(w -> w.book.exchange));
        List<OrderBookSnapshot> snapshots = new ArrayList<>(sorted.size());
        String[] exchanges = new String[sorted.size()];
        long samples = 0;
        long expected = 0;
        long goodMs = 0;
        for (int i = 0; i < sorted.size(); i++) {
            WindowBook w = sorted.get(i);
            snapshots.add(w.book);
            exchanges[i] = w.book.exchange;
            samples += w.samples;
            expected += w.expectedSamples;
            goodMs += w.goodMs;
        }
        WindowBook first = sorted.get(0);
        long window = first.windowStart;
        String market = first.book.market;
        Completeness all =
                new Completeness(
                        exchanges, clamp(samples), clamp(expected), goodMs, expectedExchanges);
        BigDecimal mid = Liquidity.meanMid(snapshots);

        if (mid != null) {
            for (Side side : Side.values()) {
                for (long notional : options.notionals()) {
                    Route r =
                            Liquidity.route(
                                    snapshots, options.fees(), side, BigDecimal.valueOf(notional));
                    if (r.allInPrice() != null) {
                        routes.accept(routed(window, market, notional, r, mid, all));
                    }
                }
            }
        }

        int[] bandsBps = options.bandsBps();
        for (WindowBook w : sorted) {
            List<Band> own = Liquidity.depthBands(w.book, bandsBps);
            if (own.isEmpty()) {
                continue;
            }
            Completeness one =
                    new Completeness(
                            new String[] {w.book.exchange},
                            w.samples,
                            w.expectedSamples,
                            w.goodMs,
                            0);
            for (Band b : own) {
                LiquidityBand row =
                        band(window, market, w.book.exchange, w.book.mid(), b, w.samples, one);
                timeWeighted(w, b.bandBps(), row);
                bands.accept(row);
            }
        }
        if (mid != null) {
            for (Band b : Liquidity.consolidatedDepthBands(snapshots, bandsBps)) {
                bands.accept(band(window, market, ALL, mid, b, exchanges.length, all));
            }
        }

        for (Dislocation d : Liquidity.dislocations(snapshots, options.fees())) {
            Arbitrage a = new Arbitrage();
            a.windowStart = window;
            a.market = market;
            a.buyExchange = d.buyExchange();
            a.sellExchange = d.sellExchange();
            a.baseQty = BookWalker.toStored(d.baseQty());
            a.cost = BookWalker.toStored(d.cost());
            a.profit = BookWalker.toStored(d.profit());
            a.profitBps = d.profitBps();
            all.attach(a);
            arbitrage.accept(a);
        }
    }

    private static RoutedExecution routed(
            long window, String market, long notional, Route r, BigDecimal mid, Completeness c) {
        RoutedExecution out = new RoutedExecution();
        out.windowStart = window;
        out.market = market;
        out.side = r.side().wireName();
        out.notional = notional;
        out.complete = r.complete();
        out.allInPrice = BookWalker.toStored(r.allInPrice());
        out.baseQty = BookWalker.toStored(r.baseQty());
        int n = r.legs().size();
        out.legExchanges = new String[n];
        out.legCash = new BigDecimal[n];
        out.legBaseQty = new BigDecimal[n];
        out.legLevels = new int[n];
        BigDecimal cash = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            Route.Leg leg = r.legs().get(i);
            out.legExchanges[i] = leg.exchange();
            out.legCash[i] = BookWalker.toStored(leg.cash());
            out.legBaseQty[i] = BookWalker.toStored(leg.baseQty());
            out.legLevels[i] = leg.levels();
            cash = cash.add(leg.cash());
        }
        out.cash = BookWalker.toStored(cash);
        if (r.bestSingle() != null) {
            out.bestSingleExchange = r.bestSingle().exchange();
            out.bestSingleAllInPrice = BookWalker.toStored(r.bestSingle().allInPrice());
            out.savingsBps = r.savingsBps() == null ? 0.0 : r.savingsBps();
        }
        out.mid = BookWalker.toStored(mid);
        c.attach(out);
        return out;
    }

    private static LiquidityBand band(
            long window,
            String market,
            String exchange,
            BigDecimal mid,
            Band b,
            int samples,
            Completeness c) {
        LiquidityBand out = new LiquidityBand();
        out.windowStart = window;
        out.market = market;
        out.exchange = exchange;
        out.bandBps = b.bandBps();
        out.mid = BookWalker.toStored(mid);
        out.bidQty = BookWalker.toStored(b.bidQty());
        out.bidNotional = BookWalker.toStored(b.bidNotional());
        out.askQty = BookWalker.toStored(b.askQty());
        out.askNotional = BookWalker.toStored(b.askNotional());
        out.imbalance = b.imbalance() == null ? null : BookWalker.toStored(b.imbalance());
        out.samples = samples;
        c.attach(out);
        return out;
    }

    /**
     * Stream mode: the venue's time-weighted notionals of band {@code bandBps}, when its book
     * integrated that band over the window (null otherwise: poll mode, no usable time integrated).
     * The consolidated rows have none: see the README.
     */
    private static void timeWeighted(WindowBook w, int bandBps, LiquidityBand row) {
        if (w.twBandsBps == null || w.twBidNotional == null || w.twAskNotional == null) {
            return;
        }
        for (int k = 0; k < w.twBandsBps.length; k++) {
            if (w.twBandsBps[k] == bandBps) {
                row.twBidNotional = BookWalker.toStored(w.twBidNotional[k]);
                row.twAskNotional = BookWalker.toStored(w.twAskNotional[k]);
                return;
            }
        }
    }

    private static int clamp(long v) {
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    /** The venues behind a row and their data, summed. */
    private record Completeness(
            String[] exchanges, int samples, int expected, long goodMs, int expectedExchanges) {
        void attach(RoutedExecution r) {
            r.exchanges = exchanges.clone();
            r.exchangeSamples = samples;
            r.expectedSamples = expected;
            r.goodMs = goodMs;
            r.expectedExchanges = expectedExchanges;
        }

        void attach(LiquidityBand b) {
            b.exchanges = exchanges.clone();
            b.exchangeSamples = samples;
            b.expectedSamples = expected;
            b.goodMs = goodMs;
            b.expectedExchanges = expectedExchanges;
        }

        void attach(Arbitrage a) {
            a.exchanges = exchanges.clone();
            a.exchangeSamples = samples;
            a.expectedSamples = expected;
            a.goodMs = goodMs;
            a.expectedExchanges = expectedExchanges;
        }
    }
}
