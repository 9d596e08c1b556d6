package io.depthflow.job.liquidity;

import io.depthflow.job.TestBooks;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.job.quote.Walk;
import io.depthflow.sources.model.OrderBookSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Hand-worked cases of the definitions; {@link LiquidityReferenceTest} covers random books. */
class LiquidityTest {

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static TakerFees fees(String spec) {
        return TakerFees.of(TakerFees.parseEntries(spec));
    }

    // asks: 100 x 1 ; 200 x 1     bids: 100 x 1 ; 90 x 2
    private final OrderBookSnapshot simple =
            TestBooks.book("coinbase", "BTC/USD", 0L)
                    .bid("100", "1")
                    .bid("90", "2")
                    .ask("100", "1")
                    .ask("200", "1")
                    .build();

    @Test
    void shouldTakeTheWholeLevelWhenItsEffectiveCashReachesTheNotionalExactly() {
        // 1 % fee: effective asks 101 and 202. N = 101 is exactly the first level.
        AllInQuote q = Liquidity.allIn(simple, Side.BUY, d("101"), d("100"));
        assertThat(q.complete()).isTrue();
        assertThat(q.levels()).isEqualTo(1);
        assertThat(q.baseQty()).isEqualByComparingTo("1");
        assertThat(q.allInPrice()).isEqualByComparingTo("101");
        assertThat(q.cash()).isEqualByComparingTo("101");
        // N = 303 = 101 + 202: both levels whole, 303 / 2.
        AllInQuote both = Liquidity.allIn(simple, Side.BUY, d("303"), d("100"));
        assertThat(both.complete()).isTrue();
        assertThat(both.levels()).isEqualTo(2);
        assertThat(both.baseQty()).isEqualByComparingTo("2");
        assertThat(both.allInPrice()).isEqualByComparingTo("151.5");
    }

    @Test
    void shouldCutThePartialLevelAtItsEffectivePrice() {
        // N = 202: 101 from level 1, then (202 - 101) / 202 = 0.5 of level 2: base 1.5.
        AllInQuote q = Liquidity.allIn(simple, Side.BUY, d("202"), d("100"));
        assertThat(q.levels()).isEqualTo(2);
        assertThat(q.baseQty()).isEqualByComparingTo("1.5");
        assertThat(q.allInPrice()).isEqualByComparingTo(d("202").divide(d("1.5"), Liquidity.MC));
    }

    @Test
    void shouldRaiseTheNotionalAfterTheFeeOnASell() {
        // 1 % fee on a sell: effective bids 99 and 89.1. N = 99 + 89.1 × 0.5 = 143.55 -> base 1.5.
        AllInQuote q = Liquidity.allIn(simple, Side.SELL, d("143.55"), d("100"));
        assertThat(q.complete()).isTrue();
        assertThat(q.baseQty()).isEqualByComparingTo("1.5");
        assertThat(q.allInPrice()).isEqualByComparingTo("95.7");
    }

    @Test
    void shouldPriceWhatExistsWhenTheBookRunsOut() {
        // Effective bids 99 x 1 and 89.1 x 2: cash 277.2 over base 3.
        AllInQuote q = Liquidity.allIn(simple, Side.SELL, d("1000000"), d("100"));
        assertThat(q.complete()).isFalse();
        assertThat(q.levels()).isEqualTo(2);
        assertThat(q.cash()).isEqualByComparingTo("277.2");
        assertThat(q.baseQty()).isEqualByComparingTo("3");
        assertThat(q.allInPrice()).isEqualByComparingTo("92.4");
    }

    @Test
    void shouldEqualTheFeeFreeWalkAtFeeZero() {
        OrderBookSnapshot book =
                TestBooks.book("kraken", "BTC/USD", 0L)
                        .bid("99", "100")
                        .bid("98", "500")
                        .bid("97.5", "10")
                        .ask("100", "200")
                        .ask("101", "300")
                        .ask("102", "1000")
                        .build();
        for (Side side : Side.values()) {
            for (String n : List.of("990", "50000", "50300", "12345.678", "1000000000")) {
                Walk w = BookWalker.walk(book, side, d(n));
                AllInQuote q = Liquidity.allIn(book, side, d(n), BigDecimal.ZERO);
                assertThat(q.allInPrice()).isEqualTo(w.avgPrice());
                assertThat(q.baseQty()).isEqualTo(w.baseQty());
                assertThat(q.complete()).isEqualTo(w.complete());
                assertThat(q.levels()).isEqualTo(w.levels());
                assertThat(q.cash()).isEqualByComparingTo(w.filledNotional());
            }
        }
    }

    @Test
    void shouldTakeEqualEffectivePricesInAscendingVenueNameOrderOnBothSides() {
        // kraken 101 at fee 0 and coinbase 100 at 1 %: both 101 effective; coinbase first although
        // given second.
        OrderBookSnapshot kraken =
                TestBooks.book("kraken", "BTC/USD", 0L).bid("100", "1").ask("101", "1").build();
        OrderBookSnapshot coinbase =
                TestBooks.book("coinbase", "BTC/USD", 0L).bid("100", "1").ask("100", "1").build();
        TakerFees f = fees("coinbase=100,kraken=0");
        Route buy = Liquidity.route(List.of(kraken, coinbase), f, Side.BUY, d("151.5"));
        assertThat(buy.complete()).isTrue();
        assertThat(buy.legs())
                .extracting(Route.Leg::exchange)
                .containsExactly("coinbase", "kraken");
        assertThat(buy.legs().get(0).cash()).isEqualByComparingTo("101");
        assertThat(buy.legs().get(0).baseQty()).isEqualByComparingTo("1");
        assertThat(buy.legs().get(1).cash()).isEqualByComparingTo("50.5");
        assertThat(buy.legs().get(1).baseQty()).isEqualByComparingTo("0.5");
        assertThat(buy.allInPrice()).isEqualByComparingTo("101");
        // Sell at equal fees: both bids 100, coinbase first, kraken gets the rest.
        Route sell =
                Liquidity.route(List.of(kraken, coinbase), TakerFees.none(), Side.SELL, d("150"));
        assertThat(sell.legs())
                .extracting(Route.Leg::exchange)
                .containsExactly("coinbase", "kraken");
        assertThat(sell.legs().get(0).baseQty()).isEqualByComparingTo("1");
        assertThat(sell.legs().get(1).baseQty()).isEqualByComparingTo("0.5");
        // A notional the first venue covers alone: only it has a leg.
        Route small =
                Liquidity.route(List.of(kraken, coinbase), TakerFees.none(), Side.SELL, d("60"));
        assertThat(small.legs()).extracting(Route.Leg::exchange).containsExactly("coinbase");
        // Best single among equal complete prices: ascending name too.
        assertThat(small.bestSingle().exchange()).isEqualTo("coinbase");
        assertThat(small.savingsBps()).isEqualTo(0.0);
    }

    @Test
    void shouldReportNoBestSingleVenueWhenNoneCompletesAlone() {
        OrderBookSnapshot a =
                TestBooks.book("a", "BTC/USD", 0L).bid("99", "1").ask("100", "1").build();
        OrderBookSnapshot b =
                TestBooks.book("b", "BTC/USD", 0L).bid("99", "1").ask("100", "1").build();
        Route r = Liquidity.route(List.of(a, b), TakerFees.none(), Side.BUY, d("150"));
        assertThat(r.complete()).isTrue();
        assertThat(r.baseQty()).isEqualByComparingTo("1.5");
        assertThat(r.allInPrice()).isEqualByComparingTo("100");
        assertThat(r.bestSingle()).isNull();
        assertThat(r.savingsBps()).isNull();
        Route tooBig = Liquidity.route(List.of(a, b), TakerFees.none(), Side.BUY, d("1000"));
        assertThat(tooBig.complete()).isFalse();
        assertThat(tooBig.baseQty()).isEqualByComparingTo("2");
        assertThat(tooBig.allInPrice()).isEqualByComparingTo("100");
        assertThat(tooBig.legs())
                .extracting(l -> l.cash().intValueExact())
                .containsExactly(100, 100);
    }

    @Test
    void shouldBeatTheBestSingleVenueBySplitting() {
        // a: 100 x 1 then 110 x 10 ; b: 101 x 1 then 120 x 10 ; no fees ; buy N = 201.
        // Routed: a's 100 then b's 101: exactly 201 for 2 base -> 100.5.
        // a alone: 100 + 101/110 base -> 201 / 1.91818... = 104.7867...; b alone: 101 + 100/120.
        OrderBookSnapshot a =
                TestBooks.book("a", "BTC/USD", 0L)
                        .bid("99", "1")
                        .ask("100", "1")
                        .ask("110", "10")
                        .build();
        OrderBookSnapshot b =
                TestBooks.book("b", "BTC/USD", 0L)
                        .bid("99", "1")
                        .ask("101", "1")
                        .ask("120", "10")
                        .build();
        Route r = Liquidity.route(List.of(b, a), TakerFees.none(), Side.BUY, d("201"));
        assertThat(r.allInPrice()).isEqualByComparingTo("100.5");
        assertThat(r.legs()).extracting(Route.Leg::levels).containsExactly(1, 1);
        BigDecimal single =
                d("201").divide(
                                BigDecimal.ONE.add(d("101").divide(d("110"), Liquidity.MC)),
                                Liquidity.MC);
        assertThat(r.bestSingle().exchange()).isEqualTo("a");
        assertThat(r.bestSingle().allInPrice()).isEqualByComparingTo(single);
        double expected = (single.doubleValue() - 100.5) / single.doubleValue() * 1e4;
        assertThat(r.savingsBps()).isCloseTo(expected, within(1e-9));
        assertThat(r.savingsBps()).isCloseTo(409.0, within(1.0));
    }

    @Test
    void shouldCountBandsInclusiveOfTheEdgeAndComputeTheImbalance() {
        OrderBookSnapshot book =
                TestBooks.book("coinbase", "BTC/USD", 0L)
                        .bid("99.9", "1")
                        .bid("99", "2")
                        .bid("90", "5")
                        .ask("100.1", "1")
                        .ask("101", "3")
                        .ask("120", "5")
                        .build();
        // mid 100: 10 bps -> [99.9, 100.1] ; 100 bps -> [99, 101], edges inside.
        List<Band> bands = Liquidity.depthBands(book, new int[] {10, 100});
        Band ten = bands.get(0);
        assertThat(ten.bandBps()).isEqualTo(10);
        assertThat(ten.bidQty()).isEqualByComparingTo("1");
        assertThat(ten.bidNotional()).isEqualByComparingTo("99.9");
        assertThat(ten.askQty()).isEqualByComparingTo("1");
        assertThat(ten.askNotional()).isEqualByComparingTo("100.1");
        assertThat(ten.imbalance()).isEqualByComparingTo("-0.001");
        Band hundred = bands.get(1);
        assertThat(hundred.bidQty()).isEqualByComparingTo("3");
        assertThat(hundred.bidNotional()).isEqualByComparingTo("297.9");
        assertThat(hundred.askQty()).isEqualByComparingTo("4");
        assertThat(hundred.askNotional()).isEqualByComparingTo("403.1");
        assertThat(hundred.imbalance())
                .isEqualByComparingTo(d("-105.2").divide(d("701"), Liquidity.MC));
    }

    @Test
    void shouldCentreConsolidatedBandsOnTheMeanOfTheMidsWithANullImbalanceWhenEmpty() {
        // mids 100 and 102 -> centre 101 (b's book: bids 101, 100.9; ask 103); 10 bps -> [100.899,
        // 101.101].
        OrderBookSnapshot a =
                TestBooks.book("a", "BTC/USD", 0L)
                        .bid("99.5", "1")
                        .ask("100.5", "1")
                        .ask("101.1", "2")
                        .build();
        OrderBookSnapshot b =
                TestBooks.book("b", "BTC/USD", 0L)
                        .bid("101", "4")
                        .bid("100.9", "1")
                        .ask("103", "1")
                        .build();
        assertThat(Liquidity.meanMid(List.of(a, b))).isEqualByComparingTo("101");
        Band band = Liquidity.consolidatedDepthBands(List.of(a, b), new int[] {10}).get(0);
        assertThat(band.bidQty()).isEqualByComparingTo("5");
        assertThat(band.bidNotional()).isEqualByComparingTo("504.9");
        // asks 100.5 x 1 and 101.1 x 2 (<= 101.101): 302.7.
        assertThat(band.askQty()).isEqualByComparingTo("3");
        assertThat(band.askNotional()).isEqualByComparingTo("302.7");
        // A 1 bp band around a wide spread holds nothing.
        OrderBookSnapshot wide =
                TestBooks.book("a", "BTC/USD", 0L).bid("90", "1").ask("110", "1").build();
        Band empty = Liquidity.depthBands(wide, new int[] {1}).get(0);
        assertThat(empty.bidNotional()).isEqualByComparingTo("0");
        assertThat(empty.imbalance()).isNull();
    }

    @Test
    void shouldMatchAsksOfOneVenueAgainstBidsOfAnotherAtEffectivePrices() {
        // A (50 bps): effective asks 100.5 x 1, 101.0025 x 2 ; B (0 bps): bids 102 x 1.5, 101 x 1.
        // 1 @ (100.5, 102): profit 1.5 ; 0.5 @ (101.0025, 102): profit 0.49875 ; then 101 <=
        // 101.0025.
        OrderBookSnapshot a =
                TestBooks.book("a", "BTC/USD", 0L)
                        .bid("99", "1")
                        .ask("100", "1")
                        .ask("100.5", "2")
                        .build();
        OrderBookSnapshot b =
                TestBooks.book("b", "BTC/USD", 0L)
                        .bid("102", "1.5")
                        .bid("101", "1")
                        .ask("103", "1")
                        .build();
        List<Dislocation> ds = Liquidity.dislocations(List.of(b, a), fees("a=50,b=0"));
        assertThat(ds).hasSize(1);
        Dislocation d = ds.get(0);
        assertThat(d.buyExchange()).isEqualTo("a");
        assertThat(d.sellExchange()).isEqualTo("b");
        assertThat(d.baseQty()).isEqualByComparingTo("1.5");
        assertThat(d.cost()).isEqualByComparingTo("151.00125");
        assertThat(d.profit()).isEqualByComparingTo("1.99875");
        assertThat(d.profitBps()).isCloseTo(1.99875 / 151.00125 * 1e4, within(1e-9));
        // A fee that eats the edge: nothing.
        assertThat(Liquidity.dislocations(List.of(a, b), fees("a=60,b=140"))).isEmpty();
    }

    @Test
    void shouldKeepEnoughLevelsForTheLargestNotionalAndTheWidestBand() {
        // mid 100; band 100 bps, margin 0: asks <= 101, bids >= 99; walk of 250 at 0 bps:
        // asks 100.5 x 1 + 101 x 1 = 201.5 then 150 x 1 -> 3 levels.
        OrderBookSnapshot book =
                TestBooks.book("a", "BTC/USD", 0L)
                        .bid("99.5", "10")
                        .bid("99", "1")
                        .bid("98", "1")
                        .bid("50", "1")
                        .ask("100.5", "1")
                        .ask("101", "1")
                        .ask("150", "1")
                        .ask("200", "1")
                        .build();
        DepthNeeded n = Liquidity.depthNeeded(book, BigDecimal.ZERO, d("250"), 100, 0);
        assertThat(n).isEqualTo(new DepthNeeded(2, 3));
        // A 200 bp margin reaches 98 (>= 100 x 0.99 x 0.98 = 97.02) on the bid side.
        assertThat(Liquidity.depthNeeded(book, BigDecimal.ZERO, d("250"), 100, 200))
                .isEqualTo(new DepthNeeded(3, 3));
        OrderBookSnapshot cut = Liquidity.truncate(book, n);
        assertThat(cut.bidCount()).isEqualTo(2);
        assertThat(cut.askCount()).isEqualTo(3);
    }

    @Test
    void shouldParseFeesAndRejectBadOnesInOneLine() {
        TakerFees f = TakerFees.parse("coinbase=12.5, kraken=0");
        assertThat(f.feeBps("coinbase")).isEqualByComparingTo("12.5");
        assertThat(f.feeBps("kraken")).isEqualByComparingTo("0");
        assertThat(f.feeBps("bitfinex"))
                .isEqualByComparingTo(PublicTakerFees.BASE_TIER_BPS.get("bitfinex"));
        assertThat(f.feeBps("nowhere")).isEqualByComparingTo("0");
        assertThat(TakerFees.defaults().asMap())
                .containsEntry("coinbase", d("60"))
                .containsEntry("kraken", d("40"));
        assertThat(TakerFees.parseEntries("")).isEqualTo(Map.of());
        assertThatThrownBy(() -> TakerFees.parse("coinbase"))
                .hasMessage("taker fee 'coinbase': expected VENUE=BPS, e.g. coinbase=60,kraken=40");
        assertThatThrownBy(() -> TakerFees.parse("coinbase=abc"))
                .hasMessage("taker fee for coinbase is not a number of basis points: 'abc'");
        assertThatThrownBy(() -> TakerFees.parse("coinbase=-1"))
                .hasMessage(
                        "taker fee for coinbase must be at least 0 and below 10000 bps, got -1");
        assertThatThrownBy(() -> TakerFees.parse("coinbase=10000"))
                .hasMessage(
                        "taker fee for coinbase must be at least 0 and below 10000 bps, got 10000");
        assertThatThrownBy(() -> TakerFees.parse("kraken=1,kraken=2"))
                .hasMessage("taker fee for kraken given twice");
    }

    @Test
    void shouldRejectTwoBooksOfOneVenueAndNonPositiveNotionals() {
        assertThatThrownBy(
                        () ->
                                Liquidity.route(
                                        List.of(simple, simple),
                                        TakerFees.none(),
                                        Side.BUY,
                                        d("1")))
                .hasMessage("two books of venue coinbase");
        assertThatThrownBy(() -> Liquidity.allIn(simple, Side.BUY, d("0"), BigDecimal.ZERO))
                .hasMessage("notional must be positive: 0");
    }
}
