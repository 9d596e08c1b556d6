package io.depthflow.job.liquidity;

import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.OrderBookSnapshot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Liquidity analytics over venue-free books: fee-inclusive prices, the optimal split of a market
 * order across venues, depth bands and imbalance, cross-venue dislocations. Pure functions, no
 * Flink. The definitions below are the contract (README, "Liquidity analytics").
 *
 * <p><b>Fees and notionals.</b> Each venue has a taker fee {@code f} in basis points ({@link
 * TakerFees}). A notional {@code N} is the cash that changes hands, fees included: a buy spends N
 * including the fee, a sell raises N after the fee. The <em>effective price</em> of a level at
 * price {@code p} is {@code p × (1 + f/10⁴)} for a buy and {@code p × (1 − f/10⁴)} for a sell.
 *
 * <ul>
 *   <li><b>All-in quote</b> ({@link #allIn}) on one venue: walk the levels (asks upward for a buy,
 *       bids downward for a sell) at their effective prices; take whole levels while the cumulative
 *       cash Σ effective price × qty stays below N, then the part of the next level that reaches N
 *       exactly; {@code all_in_price = N / base_qty}. When the book runs out, it is incomplete and
 *       {@code all_in_price} is cash over base of what exists. With f = 0 this is {@link
 *       BookWalker#walk}'s quote, value for value.
 *   <li><b>Routed execution</b> ({@link #route}): the same walk over all venues' levels merged by
 *       effective price (a buy takes the cheapest effective ask first, a sell the highest effective
 *       bid; levels of equal effective price are taken in ascending venue-name order, both sides).
 *       This is the optimal split of a market order of N cash. {@code all_in_price} = cash / Σ
 *       base_qty; one leg per venue that filled something (cash, base quantity, levels touched);
 *       the best single venue is the best all-in price among venues whose own all-in quote
 *       completes (ties: ascending venue name; none when no venue completes alone); {@code
 *       savings_bps} = how much better the routed price is than the best single venue's, in basis
 *       points of the best single price ({@code (single − routed) / single} for a buy, {@code
 *       (routed − single) / single} for a sell).
 *   <li><b>Depth bands</b> ({@link #depthBands}): for a band {@code b} in bps and {@code mid} =
 *       (best bid + best ask) / 2 of the book: bid quantity and notional Σ q, Σ p × q over bids
 *       with {@code p ≥ mid × (1 − b/10⁴)}; ask quantity and notional over asks with {@code p ≤ mid
 *       × (1 + b/10⁴)}; {@code imbalance = (bid_notional − ask_notional) / (bid_notional +
 *       ask_notional)}, null when both are 0. Raw prices, no fee. Consolidated ({@link
 *       #consolidatedDepthBands}): all venues' levels around the mean of the venues' mids.
 *   <li><b>Cross-venue dislocation</b> ({@link #dislocations}) for each ordered pair of distinct
 *       venues (buy on A, sell on B): match A's asks at buy-effective prices (upward) against B's
 *       bids at sell-effective prices (downward) while the effective bid exceeds the effective ask;
 *       {@code base_qty} matched, {@code cost} = Σ effective ask × q, {@code profit} = Σ (effective
 *       bid − effective ask) × q, {@code profit_bps = profit / cost × 10⁴}. Only pairs with profit
 *       &gt; 0 are reported.
 * </ul>
 *
 * <p><b>Exactness.</b> Effective prices, cash sums, quantities, band sums, costs and profits are
 * exact decimals. The only roundings are the division for a cut level and for an average or a
 * ratio, with 34 significant digits ({@link BookWalker#MC}), far below the 18 fraction digits
 * stored ({@link BookWalker#toStored}). Band thresholds are compared without dividing ({@code n ×
 * p} against {@code Σ mids × (1 ± b/10⁴)}), so a level exactly on a band edge is always inside.
 * Basis-point figures are doubles.
 */
public final class Liquidity {

    /** Precision of the divisions (34 significant digits), as {@link BookWalker#MC}. */
    public static final MathContext MC = BookWalker.MC;

    /**
     * The slippage ladder: the default notionals in USD of quotes and routes, for the job ({@code
     * run --notionals}) and the CLI ({@code quote}, {@code route}).
     */
    public static final List<Long> DEFAULT_NOTIONALS_USD =
            List.of(10_000L, 50_000L, 100_000L, 250_000L, 500_000L, 1_000_000L);

    /** The default depth bands in basis points (a shared array: do not modify it). */
    public static final int[] DEFAULT_BANDS_BPS = {10, 25, 50, 100, 200};

    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    private Liquidity() {}

    /** {@code 1 + f/10⁴} for a buy, {@code 1 − f/10⁴} for a sell (exact). */
    public static BigDecimal feeFactor(Side side, BigDecimal feeBps) {
        checkFee(feeBps);
        BigDecimal rate = feeBps.movePointLeft(4);
        return side == Side.BUY ? BigDecimal.ONE.add(rate) : BigDecimal.ONE.subtract(rate);
    }

    /**
     * The all-in quote of a market order of {@code notional} cash on one venue with taker fee
     * {@code feeBps}. An empty side gives an incomplete quote with no price, base 0, cash 0.
     */
    public static AllInQuote allIn(
            OrderBookSnapshot book, Side side, BigDecimal notional, BigDecimal feeBps) {
        checkNotional(notional);
        BigDecimal factor = feeFactor(side, feeBps);
        long[] prices = prices(book, side);
        long[] sizes = sizes(book, side);
        BigDecimal cum = BigDecimal.ZERO;
        BigDecimal base = BigDecimal.ZERO;
        for (int i = 0; i < prices.length; i++) {
            BigDecimal eff = effective(prices[i], book.priceScale, factor);
            BigDecimal qty = BigDecimal.valueOf(sizes[i], book.sizeScale);
            BigDecimal next = cum.add(eff.multiply(qty));
            int c = next.compareTo(notional);
            if (c < 0) {
                cum = next;
                base = base.add(qty);
                continue;
            }
            base = base.add(c == 0 ? qty : notional.subtract(cum).divide(eff, MC));
            return new AllInQuote(notional.divide(base, MC), base, true, i + 1, notional);
        }
        return new AllInQuote(
                base.signum() == 0 ? null : cum.divide(base, MC), base, false, prices.length, cum);
    }

    /**
     * The optimal split of a market order of {@code notional} cash across {@code books} (one per
     * venue, same market, distinct venue names, any order), with the best single venue and what
     * routing saves against it.
     */
    public static Route route(
            List<OrderBookSnapshot> books, TakerFees fees, Side side, BigDecimal notional) {
        checkNotional(notional);
        List<OrderBookSnapshot> venues = byVenue(books);
        int n = venues.size();
        BigDecimal[] factor = new BigDecimal[n];
        int[] next = new int[n];
        BigDecimal[] head = new BigDecimal[n];
        BigDecimal[] legCash = new BigDecimal[n];
        BigDecimal[] legBase = new BigDecimal[n];
        int[] legLevels = new int[n];
        for (int v = 0; v < n; v++) {
            OrderBookSnapshot b = venues.get(v);
            factor[v] = feeFactor(side, fees.feeBps(b.exchange));
            head[v] =
                    prices(b, side).length > 0
                            ? effective(prices(b, side)[0], b.priceScale, factor[v])
                            : null;
            legCash[v] = BigDecimal.ZERO;
            legBase[v] = BigDecimal.ZERO;
        }
        BigDecimal cum = BigDecimal.ZERO;
        boolean complete = false;
        while (true) {
            int best = -1;
            for (int v = 0; v < n; v++) {
                // Strictly better only: on equal effective prices the lower venue name (lower v)
                // wins.
                if (head[v] != null
                        && (best < 0
                                || (side == Side.BUY
                                        ? head[v].compareTo(head[best]) < 0
                                        : head[v].compareTo(head[best]) > 0))) {
                    best = v;
                }
            }
            if (best < 0) {
                break;
            }
            OrderBookSnapshot b = venues.get(best);
            int i = next[best];
            BigDecimal eff = head[best];
            BigDecimal qty = BigDecimal.valueOf(sizes(b, side)[i], b.sizeScale);
            BigDecimal levelCash = eff.multiply(qty);
            BigDecimal after = cum.add(levelCash);
            int c = after.compareTo(notional);
            legLevels[best]++;
            if (c < 0) {
                cum = after;
                legCash[best] = legCash[best].add(levelCash);
                legBase[best] = legBase[best].add(qty);
                next[best] = i + 1;
                long[] p = prices(b, side);
                head[best] =
                        i + 1 < p.length ? effective(p[i + 1], b.priceScale, factor[best]) : null;
                continue;
            }
            BigDecimal rest = notional.subtract(cum);
            legCash[best] = legCash[best].add(rest);
            legBase[best] = legBase[best].add(c == 0 ? qty : rest.divide(eff, MC));
            cum = notional;
            complete = true;
            break;
        }
        List<Route.Leg> legs = new ArrayList<>();
        BigDecimal base = BigDecimal.ZERO;
        for (int v = 0; v < n; v++) {
            if (legLevels[v] > 0) {
                legs.add(
                        new Route.Leg(
                                venues.get(v).exchange, legCash[v], legBase[v], legLevels[v]));
                base = base.add(legBase[v]);
            }
        }
        BigDecimal allInPrice = base.signum() == 0 ? null : cum.divide(base, MC);

        Route.BestSingle bestSingle = null;
        for (OrderBookSnapshot b : venues) {
            AllInQuote q = allIn(b, side, notional, fees.feeBps(b.exchange));
            if (q.complete()
                    && (bestSingle == null
                            || (side == Side.BUY
                                    ? q.allInPrice().compareTo(bestSingle.allInPrice()) < 0
                                    : q.allInPrice().compareTo(bestSingle.allInPrice()) > 0))) {
                bestSingle = new Route.BestSingle(b.exchange, q.allInPrice());
            }
        }
        Double savings = null;
        if (bestSingle != null) {
            BigDecimal single = bestSingle.allInPrice();
            BigDecimal better =
                    side == Side.BUY ? single.subtract(allInPrice) : allInPrice.subtract(single);
            savings = better.multiply(TEN_THOUSAND).divide(single, MC).doubleValue();
        }
        return new Route(side, notional, complete, allInPrice, base, legs, bestSingle, savings);
    }

    /**
     * The depth bands of one book around its own mid, one per entry of {@code bandsBps}, in that
     * order. A book without both sides has no mid: the result is empty.
     */
    public static List<Band> depthBands(OrderBookSnapshot book, int[] bandsBps) {
        return consolidatedDepthBands(List.of(book), bandsBps);
    }

    /**
     * The consolidated depth bands ({@code exchange = 'all'}): every level of every book, around
     * {@link #meanMid the mean of the venues' mids}. Empty when no book has both sides.
     */
    public static List<Band> consolidatedDepthBands(List<OrderBookSnapshot> books, int[] bandsBps) {
        checkBands(bandsBps);
        BigDecimal midSum = BigDecimal.ZERO;
        int mids = 0;
        for (OrderBookSnapshot b : books) {
            if (b.bidCount() > 0 && b.askCount() > 0) {
                midSum = midSum.add(b.mid());
                mids++;
            }
        }
        if (mids == 0) {
            return List.of();
        }
        BigDecimal count = BigDecimal.valueOf(mids);
        int nb = bandsBps.length;
        // p >= (midSum / mids) × (1 − b)  <=>  mids × p >= midSum × (1 − b): no division.
        BigDecimal[] bidEdge = new BigDecimal[nb];
        BigDecimal[] askEdge = new BigDecimal[nb];
        for (int k = 0; k < nb; k++) {
            BigDecimal rate = BigDecimal.valueOf(bandsBps[k]).movePointLeft(4);
            bidEdge[k] = midSum.multiply(BigDecimal.ONE.subtract(rate));
            askEdge[k] = midSum.multiply(BigDecimal.ONE.add(rate));
        }
        BigDecimal[][] bid = new BigDecimal[nb][];
        BigDecimal[][] ask = new BigDecimal[nb][];
        for (int k = 0; k < nb; k++) {
            bid[k] = new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO};
            ask[k] = new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO};
        }
        for (OrderBookSnapshot b : books) {
            addBands(b.bidPrices, b.bidSizes, b.priceScale, b.sizeScale, true, count, bidEdge, bid);
            addBands(
                    b.askPrices, b.askSizes, b.priceScale, b.sizeScale, false, count, askEdge, ask);
        }
        List<Band> out = new ArrayList<>(nb);
        for (int k = 0; k < nb; k++) {
            BigDecimal bidNotional = bid[k][1];
            BigDecimal askNotional = ask[k][1];
            BigDecimal total = bidNotional.add(askNotional);
            BigDecimal imbalance =
                    total.signum() == 0
                            ? null
                            : bidNotional.subtract(askNotional).divide(total, MC);
            out.add(
                    new Band(
                            bandsBps[k],
                            bid[k][0],
                            bidNotional,
                            ask[k][0],
                            askNotional,
                            imbalance));
        }
        return out;
    }

    /**
     * Adds one side of one book to each band's {quantity, notional}: the levels inside a band are a
     * prefix of the side (best first), found by binary search; the prefix sums are built once, up
     * to the widest band's edge.
     */
    private static void addBands(
            long[] prices,
            long[] sizes,
            int priceScale,
            int sizeScale,
            boolean bids,
            BigDecimal count,
            BigDecimal[] edges,
            BigDecimal[][] into) {
        int[] cut = new int[edges.length];
        int widest = 0;
        for (int k = 0; k < edges.length; k++) {
            int lo = 0;
            int hi = prices.length;
            while (lo < hi) {
                int m = (lo + hi) >>> 1;
                int c =
                        BigDecimal.valueOf(prices[m], priceScale)
                                .multiply(count)
                                .compareTo(edges[k]);
                if (bids ? c >= 0 : c <= 0) {
                    lo = m + 1;
                } else {
                    hi = m;
                }
            }
            cut[k] = lo;
            widest = Math.max(widest, lo);
        }
        BigDecimal[] qty = new BigDecimal[widest + 1];
        BigDecimal[] notional = new BigDecimal[widest + 1];
        qty[0] = BigDecimal.ZERO;
        notional[0] = BigDecimal.ZERO;
        for (int i = 0; i < widest; i++) {
            BigDecimal q = BigDecimal.valueOf(sizes[i], sizeScale);
            qty[i + 1] = qty[i].add(q);
            notional[i + 1] =
                    notional[i].add(BigDecimal.valueOf(prices[i], priceScale).multiply(q));
        }
        for (int k = 0; k < edges.length; k++) {
            if (cut[k] > 0) {
                into[k][0] = into[k][0].add(qty[cut[k]]);
                into[k][1] = into[k][1].add(notional[cut[k]]);
            }
        }
    }

    /**
     * The mean of the mids of the books that have both sides (34 significant digits), {@code null}
     * when none has: the centre of {@link #consolidatedDepthBands}.
     */
    public static BigDecimal meanMid(List<OrderBookSnapshot> books) {
        BigDecimal sum = BigDecimal.ZERO;
        int n = 0;
        for (OrderBookSnapshot b : books) {
            if (b.bidCount() > 0 && b.askCount() > 0) {
                sum = sum.add(b.mid());
                n++;
            }
        }
        return n == 0 ? null : sum.divide(BigDecimal.valueOf(n), MC);
    }

    /**
     * Every profitable cross-venue dislocation among {@code books} (one per venue, same market),
     * for each ordered pair (buy on A, sell on B), ordered by buy venue then sell venue name.
     */
    public static List<Dislocation> dislocations(List<OrderBookSnapshot> books, TakerFees fees) {
        List<OrderBookSnapshot> venues = byVenue(books);
        List<Dislocation> out = new ArrayList<>();
        for (OrderBookSnapshot a : venues) {
            BigDecimal buyFactor = feeFactor(Side.BUY, fees.feeBps(a.exchange));
            for (OrderBookSnapshot b : venues) {
                if (a == b) {
                    continue;
                }
                BigDecimal sellFactor = feeFactor(Side.SELL, fees.feeBps(b.exchange));
                Dislocation d = match(a, buyFactor, b, sellFactor);
                if (d != null) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static Dislocation match(
            OrderBookSnapshot a, BigDecimal buyFactor, OrderBookSnapshot b, BigDecimal sellFactor) {
        int i = 0;
        int j = 0;
        BigDecimal askLeft = null;
        BigDecimal bidLeft = null;
        BigDecimal base = BigDecimal.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal profit = BigDecimal.ZERO;
        while (i < a.askCount() && j < b.bidCount()) {
            BigDecimal ask = effective(a.askPrices[i], a.priceScale, buyFactor);
            BigDecimal bid = effective(b.bidPrices[j], b.priceScale, sellFactor);
            if (bid.compareTo(ask) <= 0) {
                break;
            }
            if (askLeft == null) {
                askLeft = a.askSize(i);
            }
            if (bidLeft == null) {
                bidLeft = b.bidSize(j);
            }
            BigDecimal q = askLeft.min(bidLeft);
            base = base.add(q);
            cost = cost.add(ask.multiply(q));
            profit = profit.add(bid.subtract(ask).multiply(q));
            askLeft = askLeft.subtract(q);
            bidLeft = bidLeft.subtract(q);
            if (askLeft.signum() == 0) {
                i++;
                askLeft = null;
            }
            if (bidLeft.signum() == 0) {
                j++;
                bidLeft = null;
            }
        }
        if (profit.signum() <= 0) {
            return null;
        }
        double bps = profit.multiply(TEN_THOUSAND).divide(cost, MC).doubleValue();
        return new Dislocation(a.exchange, b.exchange, base, cost, profit, bps);
    }

    /**
     * How many levels of each side of {@code book} the cross-venue stage needs, so that computing
     * on the truncated book gives exactly what the whole book gives: the levels an all-in walk of
     * {@code maxNotional} touches at the venue's fee {@code feeBps} (the whole side when it is
     * thinner), and every level within {@code (1 + widestBandBps/10⁴) × (1 + marginBps/10⁴)} of the
     * book's own mid (asks {@code p ≤ mid × (1 + b)(1 + m)}, bids {@code p ≥ mid × (1 − b)(1 −
     * m)}).
     *
     * <p>Exact on the truncated books: the all-in quotes and routes for every notional up to {@code
     * maxNotional} (a venue's leg never goes deeper than its own walk for the whole notional), the
     * venue's own bands up to {@code widestBandBps}, and, as long as every venue's mid is within
     * {@code marginBps} of every other's ({@code mid_B ≤ mid_A × (1 + m)} for all pairs), the
     * consolidated bands (their centre is a mean of mids) and the dislocations (a matched ask of A
     * is below B's best bid, so below B's mid, and symmetrically). A book without both sides has no
     * mid: then only the walk counts.
     */
    public static DepthNeeded depthNeeded(
            OrderBookSnapshot book,
            BigDecimal feeBps,
            BigDecimal maxNotional,
            int widestBandBps,
            int marginBps) {
        checkNotional(maxNotional);
        if (widestBandBps < 0 || marginBps < 0) {
            throw new IllegalArgumentException(
                    "band and margin must be at least 0 bps, got "
                            + widestBandBps
                            + " and "
                            + marginBps);
        }
        int bids = allIn(book, Side.SELL, maxNotional, feeBps).levels();
        int asks = allIn(book, Side.BUY, maxNotional, feeBps).levels();
        if (book.bidCount() > 0 && book.askCount() > 0) {
            BigDecimal mid = book.mid();
            BigDecimal b = BigDecimal.valueOf(widestBandBps).movePointLeft(4);
            BigDecimal m = BigDecimal.valueOf(marginBps).movePointLeft(4);
            BigDecimal bidEdge =
                    mid.multiply(BigDecimal.ONE.subtract(b)).multiply(BigDecimal.ONE.subtract(m));
            BigDecimal askEdge =
                    mid.multiply(BigDecimal.ONE.add(b)).multiply(BigDecimal.ONE.add(m));
            int k = 0;
            while (k < book.bidCount() && book.bidPrice(k).compareTo(bidEdge) >= 0) {
                k++;
            }
            bids = Math.max(bids, k);
            k = 0;
            while (k < book.askCount() && book.askPrice(k).compareTo(askEdge) <= 0) {
                k++;
            }
            asks = Math.max(asks, k);
        }
        return new DepthNeeded(bids, asks);
    }

    /** {@code book} with only the first {@code depth.bids()} bids and {@code depth.asks()} asks. */
    public static OrderBookSnapshot truncate(OrderBookSnapshot book, DepthNeeded depth) {
        int nb = Math.min(depth.bids(), book.bidCount());
        int na = Math.min(depth.asks(), book.askCount());
        return new OrderBookSnapshot(
                book.exchange,
                book.market,
                book.receivedAt,
                book.exchangeTime,
                book.sequence,
                book.priceScale,
                book.sizeScale,
                Arrays.copyOf(book.bidPrices, nb),
                Arrays.copyOf(book.bidSizes, nb),
                Arrays.copyOf(book.askPrices, na),
                Arrays.copyOf(book.askSizes, na));
    }

    private static BigDecimal effective(long price, int scale, BigDecimal factor) {
        return BigDecimal.valueOf(price, scale).multiply(factor);
    }

    private static long[] prices(OrderBookSnapshot b, Side side) {
        return side == Side.BUY ? b.askPrices : b.bidPrices;
    }

    private static long[] sizes(OrderBookSnapshot b, Side side) {
        return side == Side.BUY ? b.askSizes : b.bidSizes;
    }

    /** The books sorted by venue name; one market, distinct venues. */
    private static List<OrderBookSnapshot> byVenue(List<OrderBookSnapshot> books) {
        List<OrderBookSnapshot> sorted = new ArrayList<>(books);
        sorted.sort(Comparator.comparing(b -> b.exchange));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).exchange.equals(sorted.get(i - 1).exchange)) {
                throw new IllegalArgumentException("two books of venue " + sorted.get(i).exchange);
            }
            if (!Objects.equals(sorted.get(i).market, sorted.get(0).market)) {
                throw new IllegalArgumentException(
                        "books of different markets: "
                                + sorted.get(0).market
                                + " and "
                                + sorted.get(i).market);
            }
        }
        return sorted;
    }

    private static void checkNotional(BigDecimal notional) {
        if (notional == null || notional.signum() <= 0) {
            throw new IllegalArgumentException("notional must be positive: " + notional);
        }
    }

    private static void checkFee(BigDecimal feeBps) {
        if (feeBps == null
                || feeBps.signum() < 0
                || feeBps.compareTo(TakerFees.MAX_EXCLUSIVE_BPS) >= 0) {
            throw new IllegalArgumentException(
                    "taker fee must be at least 0 and below 10000 bps: " + feeBps);
        }
    }

    private static void checkBands(int[] bandsBps) {
        for (int b : bandsBps) {
            if (b <= 0) {
                throw new IllegalArgumentException("depth bands must be positive bps, got " + b);
            }
        }
    }
}
