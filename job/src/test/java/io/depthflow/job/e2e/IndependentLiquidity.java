package io.depthflow.job.e2e;

import io.depthflow.job.e2e.IndependentCalculation.Book;
import io.depthflow.job.e2e.IndependentCalculation.Level;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately naive re-implementation of the README's liquidity definitions, used to check the
 * liquidity views: BigDecimal levels from {@link IndependentCalculation}'s Jackson-tree books (not
 * the production parsers), every walk written out step by step from the definitions' words, whole
 * books (the job computes on books cut to what it needs). It calls none of the job's code.
 *
 * <p>Input: each (window, market)'s window-end book per venue. Output: the expected rows of each
 * view, keyed by the view's key joined with {@code |}, values as lists of texts/decimals.
 */
final class IndependentLiquidity {

    private static final MathContext MC = new MathContext(50);
    private static final BigDecimal BPS = BigDecimal.valueOf(10_000);

    /** window|market|side|notional → [exchange, all_in_price, fee_bps]. */
    final Map<String, List<Object>> bestAllIn = new TreeMap<>();

    /** window|market|exchange|side|notional → [all_in_price, complete]. */
    final Map<String, List<Object>> allIn = new TreeMap<>();

    /**
     * window|market|side|notional → [complete, all_in_price, base_qty, leg_exchanges, leg_cash
     * (list), leg_base_qty (list), best_single_exchange or null, best_single_all_in_price or null,
     * savings_bps or null].
     */
    final Map<String, List<Object>> routes = new TreeMap<>();

    /**
     * window|market|exchange|band → [bid_qty, bid_notional, ask_qty, ask_notional, imbalance or
     * null].
     */
    final Map<String, List<Object>> bands = new TreeMap<>();

    /** window|market|buy|sell → [base_qty, cost, profit, profit_bps]. */
    final Map<String, List<Object>> arbitrage = new TreeMap<>();

    /** day|market|side|notional|policy|exchange → [avg_cost_bps, minutes]. */
    final Map<String, List<Object>> cost = new TreeMap<>();

    private final Map<String, BigDecimal[]> costSums = new TreeMap<>();

    /**
     * @param windowBooks window|market → exchange → the window's last book
     * @param feesBps taker fee per venue in bps
     */
    static IndependentLiquidity of(
            Map<String, Map<String, Book>> windowBooks,
            Map<String, BigDecimal> feesBps,
            int[] bands,
            long[] notionals) {
        IndependentLiquidity r = new IndependentLiquidity();
        windowBooks.forEach(
                (key, venues) -> r.window(key, new TreeMap<>(venues), feesBps, bands, notionals));
        r.costSums.forEach(
                (k, v) -> r.cost.put(k, List.of(v[0].divide(v[1], MC), v[1].intValueExact())));
        return r;
    }

    /**
     * The window-end books of a poll capture: per window and market, each venue's last usable book.
     */
    static Map<String, Map<String, Book>> lastBooks(List<String> captureLines) throws Exception {
        Map<String, Map<String, Book>> out = new TreeMap<>();
        IndependentCalculation.booksByKey(captureLines)
                .forEach(
                        (key, books) -> {
                            String exchange = key.split("\\|")[0];
                            String market = key.split("\\|")[1];
                            for (Book b : books) {
                                long window =
                                        b.receivedAt() - Math.floorMod(b.receivedAt(), 60_000L);
                                Map<String, Book> venues =
                                        out.computeIfAbsent(
                                                window + "|" + market, k -> new TreeMap<>());
                                Book had = venues.get(exchange);
                                if (had == null || b.receivedAt() > had.receivedAt()) {
                                    venues.put(exchange, b);
                                }
                            }
                        });
        return out;
    }

    private void window(
            String key,
            TreeMap<String, Book> venues,
            Map<String, BigDecimal> fees,
            int[] bandsBps,
            long[] notionals) {
        long window = Long.parseLong(key.split("\\|")[0]);
        String market = key.split("\\|")[1];
        String day = Instant.ofEpochMilli(window).atZone(ZoneOffset.UTC).toLocalDate().toString();
        BigDecimal midSum = BigDecimal.ZERO;
        for (Book b : venues.values()) {
            midSum = midSum.add(b.mid());
        }
        BigDecimal mid = midSum.divide(BigDecimal.valueOf(venues.size()), MC);

        for (String side : List.of("buy", "sell")) {
            boolean buy = side.equals("buy");
            for (long n : notionals) {
                BigDecimal notional = BigDecimal.valueOf(n);
                // one venue at a time
                String best = null;
                BigDecimal bestPrice = null;
                for (Map.Entry<String, Book> v : venues.entrySet()) {
                    BigDecimal factor = factor(buy, fees.get(v.getKey()));
                    List<Taken> one = new ArrayList<>();
                    for (Level l : buy ? v.getValue().asks() : v.getValue().bids()) {
                        one.add(new Taken(v.getKey(), l.price().multiply(factor), l.qty()));
                    }
                    Walked w = walk(one, notional);
                    allIn.put(
                            window + "|" + market + "|" + v.getKey() + "|" + side + "|" + n,
                            List.of(w.price(), w.complete));
                    if (w.complete) {
                        addCost(
                                day + "|" + market + "|" + side + "|" + n + "|single|" + v.getKey(),
                                cost(buy, w.price(), mid));
                        // strictly better only: venues come in ascending name order, so a tie keeps
                        // the first
                        if (bestPrice == null
                                || (buy
                                        ? w.price().compareTo(bestPrice) < 0
                                        : w.price().compareTo(bestPrice) > 0)) {
                            best = v.getKey();
                            bestPrice = w.price();
                        }
                    }
                }
                String k = window + "|" + market + "|" + side + "|" + n;
                if (best != null) {
                    bestAllIn.put(k, List.of(best, bestPrice, fees.get(best)));
                    addCost(
                            day + "|" + market + "|" + side + "|" + n + "|best_single|",
                            cost(buy, bestPrice, mid));
                }
                // all venues' levels merged by effective price, ties by venue name
                List<Taken> merged = new ArrayList<>();
                for (Map.Entry<String, Book> v : venues.entrySet()) {
                    BigDecimal factor = factor(buy, fees.get(v.getKey()));
                    for (Level l : buy ? v.getValue().asks() : v.getValue().bids()) {
                        merged.add(new Taken(v.getKey(), l.price().multiply(factor), l.qty()));
                    }
                }
                Comparator<Taken> byPrice = Comparator.comparing(Taken::effective);
                merged.sort((buy ? byPrice : byPrice.reversed()).thenComparing(Taken::venue));
                Walked w = walk(merged, notional);
                List<String> legVenues = new ArrayList<>(w.legCash.keySet());
                List<BigDecimal> legCash = new ArrayList<>();
                List<BigDecimal> legBase = new ArrayList<>();
                for (String v : legVenues) {
                    legCash.add(w.legCash.get(v));
                    legBase.add(w.legBase.get(v));
                }
                BigDecimal savings = null;
                if (bestPrice != null) {
                    savings =
                            (buy ? bestPrice.subtract(w.price()) : w.price().subtract(bestPrice))
                                    .multiply(BPS)
                                    .divide(bestPrice, MC);
                }
                List<Object> row =
                        new ArrayList<>(
                                List.of(
                                        w.complete,
                                        w.price(),
                                        w.base,
                                        legVenues,
                                        legCash,
                                        legBase));
                row.add(best);
                row.add(bestPrice);
                row.add(savings);
                routes.put(k, row);
                if (w.complete) {
                    addCost(
                            day + "|" + market + "|" + side + "|" + n + "|routed|",
                            cost(buy, w.price(), mid));
                }
            }
        }

        for (int b : bandsBps) {
            for (Map.Entry<String, Book> v : venues.entrySet()) {
                bands.put(
                        window + "|" + market + "|" + v.getKey() + "|" + b,
                        band(List.of(v.getValue()), v.getValue().mid(), b));
            }
            bands.put(window + "|" + market + "|all|" + b, band(venues.values(), mid, b));
        }

        for (Map.Entry<String, Book> a : venues.entrySet()) {
            for (Map.Entry<String, Book> s : venues.entrySet()) {
                if (a.getKey().equals(s.getKey())) {
                    continue;
                }
                dislocation(
                        window,
                        market,
                        a.getKey(),
                        a.getValue(),
                        fees.get(a.getKey()),
                        s.getKey(),
                        s.getValue(),
                        fees.get(s.getKey()));
            }
        }
    }

    private void dislocation(
            long window,
            String market,
            String buyVenue,
            Book a,
            BigDecimal buyFee,
            String sellVenue,
            Book b,
            BigDecimal sellFee) {
        BigDecimal buyFactor = factor(true, buyFee);
        BigDecimal sellFactor = factor(false, sellFee);
        List<Level> asks = a.asks();
        List<Level> bids = b.bids();
        int i = 0;
        int j = 0;
        BigDecimal askLeft = i < asks.size() ? asks.get(0).qty() : null;
        BigDecimal bidLeft = j < bids.size() ? bids.get(0).qty() : null;
        BigDecimal base = BigDecimal.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal profit = BigDecimal.ZERO;
        while (i < asks.size() && j < bids.size()) {
            BigDecimal ask = asks.get(i).price().multiply(buyFactor);
            BigDecimal bid = bids.get(j).price().multiply(sellFactor);
            if (bid.compareTo(ask) <= 0) {
                break;
            }
            BigDecimal q = askLeft.min(bidLeft);
            base = base.add(q);
            cost = cost.add(ask.multiply(q));
            profit = profit.add(bid.subtract(ask).multiply(q));
            askLeft = askLeft.subtract(q);
            bidLeft = bidLeft.subtract(q);
            if (askLeft.signum() == 0 && ++i < asks.size()) {
                askLeft = asks.get(i).qty();
            }
            if (bidLeft.signum() == 0 && ++j < bids.size()) {
                bidLeft = bids.get(j).qty();
            }
        }
        if (profit.signum() > 0) {
            arbitrage.put(
                    window + "|" + market + "|" + buyVenue + "|" + sellVenue,
                    List.of(base, cost, profit, profit.multiply(BPS).divide(cost, MC)));
        }
    }

    private static List<Object> band(Iterable<Book> books, BigDecimal mid, int bandBps) {
        BigDecimal rate = BigDecimal.valueOf(bandBps).divide(BPS, MC);
        BigDecimal low = mid.multiply(BigDecimal.ONE.subtract(rate));
        BigDecimal high = mid.multiply(BigDecimal.ONE.add(rate));
        BigDecimal bidQty = BigDecimal.ZERO;
        BigDecimal bidNotional = BigDecimal.ZERO;
        BigDecimal askQty = BigDecimal.ZERO;
        BigDecimal askNotional = BigDecimal.ZERO;
        for (Book b : books) {
            for (Level l : b.bids()) {
                if (l.price().compareTo(low) >= 0) {
                    bidQty = bidQty.add(l.qty());
                    bidNotional = bidNotional.add(l.price().multiply(l.qty()));
                }
            }
            for (Level l : b.asks()) {
                if (l.price().compareTo(high) <= 0) {
                    askQty = askQty.add(l.qty());
                    askNotional = askNotional.add(l.price().multiply(l.qty()));
                }
            }
        }
        BigDecimal total = bidNotional.add(askNotional);
        List<Object> row = new ArrayList<>(List.of(bidQty, bidNotional, askQty, askNotional));
        row.add(total.signum() == 0 ? null : bidNotional.subtract(askNotional).divide(total, MC));
        return row;
    }

    private static BigDecimal factor(boolean buy, BigDecimal feeBps) {
        BigDecimal rate = feeBps.divide(BPS, MC);
        return buy ? BigDecimal.ONE.add(rate) : BigDecimal.ONE.subtract(rate);
    }

    private static BigDecimal cost(boolean buy, BigDecimal price, BigDecimal mid) {
        return (buy ? price.subtract(mid) : mid.subtract(price)).multiply(BPS).divide(mid, MC);
    }

    private void addCost(String key, BigDecimal bps) {
        BigDecimal[] s =
                costSums.computeIfAbsent(
                        key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        s[0] = s[0].add(bps);
        s[1] = s[1].add(BigDecimal.ONE);
    }

    /** One level as the walk sees it: its venue, effective price and quantity. */
    private record Taken(String venue, BigDecimal effective, BigDecimal qty) {}

    /** What a walk took, in total and per venue (venue-name order). */
    private static final class Walked {
        boolean complete;
        BigDecimal cash = BigDecimal.ZERO;
        BigDecimal base = BigDecimal.ZERO;
        final TreeMap<String, BigDecimal> legCash = new TreeMap<>();
        final TreeMap<String, BigDecimal> legBase = new TreeMap<>();

        BigDecimal price() {
            return base.signum() == 0 ? null : cash.divide(base, MC);
        }
    }

    /**
     * Takes whole levels while the cumulative cash stays below {@code notional}, then the part of
     * the next level that reaches it exactly.
     */
    private static Walked walk(List<Taken> levels, BigDecimal notional) {
        Walked w = new Walked();
        for (Taken t : levels) {
            BigDecimal levelCash = t.effective().multiply(t.qty());
            BigDecimal qty = t.qty();
            if (w.cash.add(levelCash).compareTo(notional) >= 0) {
                levelCash = notional.subtract(w.cash);
                qty = levelCash.divide(t.effective(), MC);
                w.complete = true;
            }
            w.cash = w.cash.add(levelCash);
            w.base = w.base.add(qty);
            w.legCash.merge(t.venue(), levelCash, BigDecimal::add);
            w.legBase.merge(t.venue(), qty, BigDecimal::add);
            if (w.complete) {
                break;
            }
        }
        return w;
    }
}
