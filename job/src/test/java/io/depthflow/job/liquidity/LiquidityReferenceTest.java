package io.depthflow.job.liquidity;

import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.OrderBookSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Liquidity} against a deliberately naive second implementation written here: every level of
 * every venue expanded into one list and sorted by (effective price, venue name), walked at 60
 * digits; bands by filtering every level without early exit; dislocations by integrating the gap
 * between the cumulative bid and ask curves over quantity. Randomized books: 1 to 5 venues given in
 * any order, fees including 0, thin and empty sides, venues shifted so their books cross, venues
 * copying another's levels so effective prices tie. Agreement to 1e-9 relative.
 */
class LiquidityReferenceTest {

    private static final MathContext HI = new MathContext(60);
    private static final String[] NAMES = {"bitfinex", "bitstamp", "coinbase", "gemini", "kraken"};
    private static final String[] FEES = {"0", "0", "10", "12.5", "25", "40", "60", "100"};
    private static final int[] BANDS = {1, 10, 25, 50, 100, 200, 500};

    @Test
    void shouldAgreeWithTheNaiveReferenceOnRandomBooks() {
        Random rnd = new Random(20261206L);
        int routes = 0;
        int ties = 0;
        int incomplete = 0;
        int noSingle = 0;
        int dislocated = 0;
        for (int round = 0; round < 600; round++) {
            List<OrderBookSnapshot> books = randomBooks(rnd);
            Map<String, BigDecimal> feeMap = new TreeMap<>();
            for (OrderBookSnapshot b : books) {
                feeMap.put(b.exchange, new BigDecimal(FEES[rnd.nextInt(FEES.length)]));
            }
            if (rnd.nextInt(4) == 0 && books.size() > 1) {
                // Equal fees everywhere: copied books then tie on effective price too.
                BigDecimal f = new BigDecimal(FEES[rnd.nextInt(FEES.length)]);
                feeMap.replaceAll((k, v) -> f);
            }
            TakerFees fees = TakerFees.of(feeMap);
            for (Side side : Side.values()) {
                for (int k = 0; k < 4; k++) {
                    BigDecimal notional = randomNotional(rnd);
                    Route got = Liquidity.route(books, fees, side, notional);
                    RefRoute want = refRoute(books, feeMap, side, notional);
                    assertRoute(got, want, books, round);
                    routes++;
                    ties += want.tied ? 1 : 0;
                    incomplete += got.complete() ? 0 : 1;
                    noSingle += got.bestSingle() == null ? 1 : 0;
                    for (OrderBookSnapshot b : books) {
                        AllInQuote q = Liquidity.allIn(b, side, notional, feeMap.get(b.exchange));
                        RefRoute one = refRoute(List.of(b), feeMap, side, notional);
                        assertThat(q.complete()).isEqualTo(one.complete);
                        assertClose(q.allInPrice(), one.price, "all-in " + b.exchange);
                        assertClose(q.baseQty(), one.base, "all-in base " + b.exchange);
                        assertClose(q.cash(), one.cash, "all-in cash " + b.exchange);
                    }
                }
            }
            int[] bands = randomBands(rnd);
            for (OrderBookSnapshot b : books) {
                assertBands(Liquidity.depthBands(b, bands), refBands(List.of(b), bands));
            }
            assertBands(Liquidity.consolidatedDepthBands(books, bands), refBands(books, bands));
            List<Dislocation> ds = Liquidity.dislocations(books, fees);
            List<Dislocation> want = refDislocations(books, feeMap);
            assertThat(ds)
                    .extracting(d -> d.buyExchange() + ">" + d.sellExchange())
                    .as("round %s", round)
                    .containsExactlyElementsOf(
                            want.stream()
                                    .map(d -> d.buyExchange() + ">" + d.sellExchange())
                                    .toList());
            for (int i = 0; i < ds.size(); i++) {
                assertClose(ds.get(i).baseQty(), want.get(i).baseQty(), "dislocation base");
                assertClose(ds.get(i).cost(), want.get(i).cost(), "dislocation cost");
                assertClose(ds.get(i).profit(), want.get(i).profit(), "dislocation profit");
                assertThat(ds.get(i).profitBps())
                        .isCloseTo(
                                want.get(i).profitBps(),
                                org.assertj.core.data.Percentage.withPercentage(1e-7));
            }
            dislocated += ds.isEmpty() ? 0 : 1;
        }
        // The generator must actually reach the cases it claims to cover.
        assertThat(ties).as("routes with equal effective prices across venues").isGreaterThan(50);
        assertThat(incomplete).as("routes that run out").isGreaterThan(50);
        assertThat(noSingle).as("routes without a best single venue").isGreaterThan(50);
        assertThat(dislocated).as("rounds with crossed venues").isGreaterThan(50);
        assertThat(routes).isEqualTo(600 * 2 * 4);
    }

    @Test
    void shouldGiveTheSameResultsOnBooksTruncatedToTheDepthNeeded() {
        Random rnd = new Random(7L);
        int margin = 100;
        int cut = 0;
        for (int round = 0; round < 300; round++) {
            List<OrderBookSnapshot> books = new ArrayList<>();
            // Mids within 100 bps of each other (shifts of at most ±0.4 % around 100).
            for (String name : NAMES) {
                if (rnd.nextInt(5) > 0) {
                    books.add(randomBook(rnd, name, rnd.nextInt(81) - 40, 10 + rnd.nextInt(200)));
                }
            }
            if (books.size() < 2
                    || books.stream().anyMatch(b -> b.bidCount() == 0 || b.askCount() == 0)) {
                continue;
            }
            Map<String, BigDecimal> feeMap = new TreeMap<>();
            books.forEach(
                    b -> feeMap.put(b.exchange, new BigDecimal(FEES[rnd.nextInt(FEES.length)])));
            TakerFees fees = TakerFees.of(feeMap);
            BigDecimal max = BigDecimal.valueOf(1 + rnd.nextInt(3000));
            int[] bands = {10, 25, 50, 100, 200};
            List<OrderBookSnapshot> truncated = new ArrayList<>();
            for (OrderBookSnapshot b : books) {
                DepthNeeded n = Liquidity.depthNeeded(b, feeMap.get(b.exchange), max, 200, margin);
                truncated.add(Liquidity.truncate(b, n));
                cut += n.bids() < b.bidCount() || n.asks() < b.askCount() ? 1 : 0;
            }
            for (Side side : Side.values()) {
                for (BigDecimal notional :
                        List.of(max, max.divide(BigDecimal.valueOf(3), HI), BigDecimal.ONE)) {
                    assertThat(Liquidity.route(truncated, fees, side, notional))
                            .isEqualTo(Liquidity.route(books, fees, side, notional));
                }
            }
            assertThat(Liquidity.consolidatedDepthBands(truncated, bands))
                    .isEqualTo(Liquidity.consolidatedDepthBands(books, bands));
            for (int i = 0; i < books.size(); i++) {
                assertThat(Liquidity.depthBands(truncated.get(i), bands))
                        .isEqualTo(Liquidity.depthBands(books.get(i), bands));
            }
            assertThat(Liquidity.dislocations(truncated, fees))
                    .isEqualTo(Liquidity.dislocations(books, fees));
        }
        assertThat(cut).as("books actually truncated").isGreaterThan(100);
    }

    // ---------------------------------------------------------------- random books

    private static List<OrderBookSnapshot> randomBooks(Random rnd) {
        List<String> names = new ArrayList<>(Arrays.asList(NAMES));
        java.util.Collections.shuffle(names, rnd);
        int n = 1 + rnd.nextInt(5);
        List<OrderBookSnapshot> books = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = names.get(i);
            if (i > 0 && rnd.nextInt(3) == 0) {
                // Same levels as another venue: equal raw prices, equal effective ones at equal
                // fees.
                OrderBookSnapshot src = books.get(rnd.nextInt(books.size()));
                books.add(
                        new OrderBookSnapshot(
                                name,
                                src.market,
                                0,
                                0,
                                0,
                                src.priceScale,
                                src.sizeScale,
                                src.bidPrices.clone(),
                                src.bidSizes.clone(),
                                src.askPrices.clone(),
                                src.askSizes.clone()));
                continue;
            }
            // Shift in bps of the centre: up to ±300 so that some venues' bids cross others' asks.
            int shiftBps = rnd.nextInt(4) == 0 ? rnd.nextInt(601) - 300 : rnd.nextInt(21) - 10;
            int depth = rnd.nextInt(6) == 0 ? rnd.nextInt(3) : 1 + rnd.nextInt(40);
            books.add(randomBook(rnd, name, shiftBps, depth));
        }
        return books;
    }

    /** Levels on a coarse grid around 100 × (1 + shift/10⁴) so prices coincide across venues. */
    private static OrderBookSnapshot randomBook(Random rnd, String name, int shiftBps, int depth) {
        int priceScale = 2 + rnd.nextInt(3);
        int sizeScale = rnd.nextInt(9);
        long unit = (long) Math.pow(10, priceScale);
        long centre = 100 * unit + (100 * unit * shiftBps) / 10_000;
        long tick = Math.max(1, unit / 100) * (1 + rnd.nextInt(5));
        int nb = rnd.nextInt(8) == 0 ? 0 : depth;
        int na = rnd.nextInt(8) == 0 ? 0 : depth;
        long[] bp = new long[nb];
        long[] bs = new long[nb];
        long[] ap = new long[na];
        long[] as = new long[na];
        long p = centre - tick * (1 + rnd.nextInt(3));
        for (int i = 0; i < nb; i++) {
            bp[i] = p;
            bs[i] = 1 + (long) (rnd.nextDouble() * 5 * Math.pow(10, sizeScale));
            p -= tick * (1 + rnd.nextInt(4));
        }
        p = centre + tick * (1 + rnd.nextInt(3));
        for (int i = 0; i < na; i++) {
            ap[i] = p;
            as[i] = 1 + (long) (rnd.nextDouble() * 5 * Math.pow(10, sizeScale));
            p += tick * (1 + rnd.nextInt(4));
        }
        return new OrderBookSnapshot(
                name, "BTC/USD", 0, 0, 0, priceScale, sizeScale, bp, bs, ap, as);
    }

    private static BigDecimal randomNotional(Random rnd) {
        // From a fraction of one level to more than all venues together hold.
        return BigDecimal.valueOf(1 + rnd.nextInt(20_000), rnd.nextInt(3))
                .multiply(BigDecimal.valueOf(1 + rnd.nextInt(3)));
    }

    private static int[] randomBands(Random rnd) {
        int n = 1 + rnd.nextInt(4);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = BANDS[rnd.nextInt(BANDS.length)];
        }
        return out;
    }

    // ---------------------------------------------------------------- the naive reference

    private record Level(String venue, BigDecimal effective, BigDecimal qty) {}

    private static final class RefRoute {
        boolean complete;
        BigDecimal price;
        BigDecimal base = BigDecimal.ZERO;
        BigDecimal cash = BigDecimal.ZERO;
        final Map<String, BigDecimal[]> legs = new TreeMap<>(); // cash, base, levels
        String bestSingle;
        BigDecimal bestSinglePrice;
        BigDecimal savingsBps;
        boolean tied;
    }

    private static List<Level> expand(
            List<OrderBookSnapshot> books, Map<String, BigDecimal> fees, Side side) {
        List<Level> all = new ArrayList<>();
        for (OrderBookSnapshot b : books) {
            BigDecimal f = fees.get(b.exchange).divide(BigDecimal.valueOf(10_000));
            BigDecimal factor =
                    side == Side.BUY ? BigDecimal.ONE.add(f) : BigDecimal.ONE.subtract(f);
            int n = side == Side.BUY ? b.askCount() : b.bidCount();
            for (int i = 0; i < n; i++) {
                BigDecimal p = side == Side.BUY ? b.askPrice(i) : b.bidPrice(i);
                BigDecimal q = side == Side.BUY ? b.askSize(i) : b.bidSize(i);
                all.add(new Level(b.exchange, p.multiply(factor), q));
            }
        }
        Comparator<Level> byPrice = Comparator.comparing(Level::effective);
        if (side == Side.SELL) {
            byPrice = byPrice.reversed();
        }
        all.sort(byPrice.thenComparing(Level::venue));
        return all;
    }

    private static RefRoute refRoute(
            List<OrderBookSnapshot> books, Map<String, BigDecimal> fees, Side side, BigDecimal n) {
        RefRoute r = new RefRoute();
        List<Level> levels = expand(books, fees, side);
        for (int i = 1; i < levels.size(); i++) {
            Level a = levels.get(i - 1);
            Level b = levels.get(i);
            r.tied |= a.effective().compareTo(b.effective()) == 0 && !a.venue().equals(b.venue());
        }
        for (Level l : levels) {
            BigDecimal room = n.subtract(r.cash);
            BigDecimal levelCash = l.effective().multiply(l.qty());
            BigDecimal[] leg =
                    r.legs.computeIfAbsent(
                            l.venue(),
                            v ->
                                    new BigDecimal[] {
                                        BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO
                                    });
            leg[2] = leg[2].add(BigDecimal.ONE);
            if (levelCash.compareTo(room) < 0) {
                r.cash = r.cash.add(levelCash);
                r.base = r.base.add(l.qty());
                leg[0] = leg[0].add(levelCash);
                leg[1] = leg[1].add(l.qty());
                continue;
            }
            BigDecimal part = room.divide(l.effective(), HI);
            r.cash = n;
            r.base = r.base.add(part);
            leg[0] = leg[0].add(room);
            leg[1] = leg[1].add(part);
            r.complete = true;
            break;
        }
        r.price = r.base.signum() == 0 ? null : r.cash.divide(r.base, HI);
        if (books.size() > 1) {
            List<Object[]> singles = new ArrayList<>();
            for (OrderBookSnapshot b : books) {
                RefRoute one = refRoute(List.of(b), fees, side, n);
                if (one.complete) {
                    singles.add(new Object[] {b.exchange, one.price});
                }
            }
            Comparator<Object[]> byPrice = Comparator.comparing(o -> (BigDecimal) o[1]);
            if (side == Side.SELL) {
                byPrice = byPrice.reversed();
            }
            singles.sort(byPrice.thenComparing(o -> (String) o[0]));
            if (!singles.isEmpty()) {
                r.bestSingle = (String) singles.get(0)[0];
                r.bestSinglePrice = (BigDecimal) singles.get(0)[1];
                BigDecimal diff =
                        side == Side.BUY
                                ? r.bestSinglePrice.subtract(r.price)
                                : r.price.subtract(r.bestSinglePrice);
                r.savingsBps =
                        diff.multiply(BigDecimal.valueOf(10_000)).divide(r.bestSinglePrice, HI);
            }
        }
        return r;
    }

    private static List<Band> refBands(List<OrderBookSnapshot> books, int[] bands) {
        BigDecimal sum = BigDecimal.ZERO;
        int n = 0;
        for (OrderBookSnapshot b : books) {
            if (b.bidCount() > 0 && b.askCount() > 0) {
                sum = sum.add(b.bestBid().add(b.bestAsk()).divide(BigDecimal.valueOf(2)));
                n++;
            }
        }
        List<Band> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        BigDecimal count = BigDecimal.valueOf(n);
        for (int band : bands) {
            BigDecimal rate = BigDecimal.valueOf(band).divide(BigDecimal.valueOf(10_000));
            BigDecimal[] bid = {BigDecimal.ZERO, BigDecimal.ZERO};
            BigDecimal[] ask = {BigDecimal.ZERO, BigDecimal.ZERO};
            for (OrderBookSnapshot b : books) {
                for (int i = 0; i < b.bidCount(); i++) {
                    // p >= (sum / n)(1 - rate), multiplied out by n.
                    if (b.bidPrice(i).multiply(count).compareTo(sum.subtract(sum.multiply(rate)))
                            >= 0) {
                        bid[0] = bid[0].add(b.bidSize(i));
                        bid[1] = bid[1].add(b.bidPrice(i).multiply(b.bidSize(i)));
                    }
                }
                for (int i = 0; i < b.askCount(); i++) {
                    if (b.askPrice(i).multiply(count).compareTo(sum.add(sum.multiply(rate))) <= 0) {
                        ask[0] = ask[0].add(b.askSize(i));
                        ask[1] = ask[1].add(b.askPrice(i).multiply(b.askSize(i)));
                    }
                }
            }
            BigDecimal total = bid[1].add(ask[1]);
            out.add(
                    new Band(
                            band,
                            bid[0],
                            bid[1],
                            ask[0],
                            ask[1],
                            total.signum() == 0
                                    ? null
                                    : bid[1].subtract(ask[1]).divide(total, HI)));
        }
        return out;
    }

    /**
     * The area between the cumulative bid curve (B's effective bids, highest first) and ask curve
     * (A's effective asks, lowest first) where the bid is above the ask, segment by segment between
     * the union of both curves' breakpoints.
     */
    private static List<Dislocation> refDislocations(
            List<OrderBookSnapshot> books, Map<String, BigDecimal> fees) {
        List<Dislocation> out = new ArrayList<>();
        List<OrderBookSnapshot> sorted = new ArrayList<>(books);
        sorted.sort(Comparator.comparing(b -> b.exchange));
        for (OrderBookSnapshot a : sorted) {
            for (OrderBookSnapshot b : sorted) {
                if (a == b) {
                    continue;
                }
                List<Level> asks = expand(List.of(a), fees, Side.BUY);
                List<Level> bids = expand(List.of(b), fees, Side.SELL);
                TreeMap<BigDecimal, Integer> askAt = cumulative(asks);
                TreeMap<BigDecimal, Integer> bidAt = cumulative(bids);
                java.util.TreeSet<BigDecimal> cuts = new java.util.TreeSet<>();
                cuts.add(BigDecimal.ZERO);
                cuts.addAll(askAt.keySet());
                cuts.addAll(bidAt.keySet());
                BigDecimal end =
                        askAt.isEmpty() || bidAt.isEmpty()
                                ? BigDecimal.ZERO
                                : askAt.lastKey().min(bidAt.lastKey());
                BigDecimal base = BigDecimal.ZERO;
                BigDecimal cost = BigDecimal.ZERO;
                BigDecimal profit = BigDecimal.ZERO;
                BigDecimal prev = null;
                for (BigDecimal x : cuts) {
                    if (x.compareTo(end) > 0) {
                        break;
                    }
                    if (prev != null) {
                        // The level covering (prev, x]: the first cumulative key above prev.
                        BigDecimal ea = asks.get(askAt.higherEntry(prev).getValue()).effective();
                        BigDecimal eb = bids.get(bidAt.higherEntry(prev).getValue()).effective();
                        if (eb.compareTo(ea) > 0) {
                            BigDecimal q = x.subtract(prev);
                            base = base.add(q);
                            cost = cost.add(ea.multiply(q));
                            profit = profit.add(eb.subtract(ea).multiply(q));
                        }
                    }
                    prev = x;
                }
                if (profit.signum() > 0) {
                    out.add(
                            new Dislocation(
                                    a.exchange,
                                    b.exchange,
                                    base,
                                    cost,
                                    profit,
                                    profit.multiply(BigDecimal.valueOf(10_000))
                                            .divide(cost, HI)
                                            .doubleValue()));
                }
            }
        }
        return out;
    }

    /** Cumulative quantity at the end of each level -> that level's index. */
    private static TreeMap<BigDecimal, Integer> cumulative(List<Level> levels) {
        TreeMap<BigDecimal, Integer> m = new TreeMap<>();
        BigDecimal cum = BigDecimal.ZERO;
        for (int i = 0; i < levels.size(); i++) {
            cum = cum.add(levels.get(i).qty());
            m.put(cum, i);
        }
        return m;
    }

    // ---------------------------------------------------------------- comparisons

    private static void assertRoute(
            Route got, RefRoute want, List<OrderBookSnapshot> books, int round) {
        String where = "round " + round + " " + got.side() + " " + got.notional() + " " + books;
        assertThat(got.complete()).as(where).isEqualTo(want.complete);
        assertClose(got.allInPrice(), want.price, where);
        assertClose(got.baseQty(), want.base, where);
        Map<String, BigDecimal[]> legs = new HashMap<>();
        for (Route.Leg l : got.legs()) {
            legs.put(
                    l.exchange(),
                    new BigDecimal[] {l.cash(), l.baseQty(), BigDecimal.valueOf(l.levels())});
        }
        assertThat(got.legs())
                .extracting(Route.Leg::exchange)
                .as(where)
                .containsExactlyElementsOf(want.legs.keySet());
        for (Map.Entry<String, BigDecimal[]> e : want.legs.entrySet()) {
            BigDecimal[] g = legs.get(e.getKey());
            assertClose(g[0], e.getValue()[0], where + " leg cash " + e.getKey());
            assertClose(g[1], e.getValue()[1], where + " leg base " + e.getKey());
            assertThat(g[2]).as(where).isEqualByComparingTo(e.getValue()[2]);
        }
        if (books.size() > 1) {
            assertThat(got.bestSingle() == null ? null : got.bestSingle().exchange())
                    .as(where)
                    .isEqualTo(want.bestSingle);
            if (want.bestSingle != null) {
                assertClose(got.bestSingle().allInPrice(), want.bestSinglePrice, where);
                assertThat(got.savingsBps())
                        .as(where)
                        .isCloseTo(
                                want.savingsBps.doubleValue(),
                                org.assertj.core.data.Offset.offset(1e-9));
                assertThat(got.savingsBps()).as(where).isGreaterThanOrEqualTo(-1e-20);
            } else {
                assertThat(got.savingsBps()).isNull();
            }
        }
    }

    private static void assertBands(List<Band> got, List<Band> want) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < got.size(); i++) {
            Band g = got.get(i);
            Band w = want.get(i);
            assertThat(g.bandBps()).isEqualTo(w.bandBps());
            assertThat(g.bidQty()).isEqualByComparingTo(w.bidQty());
            assertThat(g.bidNotional()).isEqualByComparingTo(w.bidNotional());
            assertThat(g.askQty()).isEqualByComparingTo(w.askQty());
            assertThat(g.askNotional()).isEqualByComparingTo(w.askNotional());
            assertClose(g.imbalance(), w.imbalance(), "imbalance");
        }
    }

    private static void assertClose(BigDecimal got, BigDecimal want, String what) {
        if (want == null || got == null) {
            assertThat(got).as(what).isEqualTo(want);
            return;
        }
        BigDecimal tol =
                want.abs().max(BigDecimal.ONE.movePointLeft(9)).multiply(new BigDecimal("1e-9"));
        assertThat(got.subtract(want).abs())
                .as(what + ": " + got + " vs " + want)
                .isLessThanOrEqualTo(tol);
    }
}
