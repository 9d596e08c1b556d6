package io.depthflow.job.quote;

import io.depthflow.job.book.L2Book;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.OrderBookSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one walker gives the same results, value and scale for value and scale, on the same levels
 * held as an {@link OrderBookSnapshot} (poll mode) and as an {@link L2Book} (stream mode), and both
 * equal the rule written plainly in {@code BigDecimal} ({@link #referenceWalk}: the poll walker as
 * it was before the two walkers became one), for random books at every scale, thin books, targets
 * exactly on a level's cumulative notional, and targets with more fraction digits than the book.
 * {@link ExecutionQuotes} builds equal quotes from either book.
 */
class OneWalkerTest {

    @Test
    void shouldEqualTheReferenceOnTheWorkedExample() {
        // asks: 100 x 200 = 20,000 ; 101 x 300 = 30,300 ; 102 x 1000 = 102,000
        // bids: 99 x 100 = 9,900 ; 98 x 500 = 49,000 ; 97.5 x 10 = 975
        L2Book book = new L2Book();
        book.set(false, 1000, 1, 200, 0);
        book.set(false, 1010, 1, 300, 0);
        book.set(false, 1020, 1, 1000, 0);
        book.set(true, 990, 1, 100, 0);
        book.set(true, 980, 1, 500, 0);
        book.set(true, 975, 1, 10, 0);
        // 990, 20,000, 50,300, 152,300, 58,900 and 59,875 end exactly on a level; 500,000 is thin
        for (long notional :
                new long[] {
                    990, 20_000, 50_000, 50_300, 58_900, 59_875, 100_000, 152_300, 500_000
                }) {
            for (Side side : Side.values()) {
                assertSameEverywhere(book, side, BigDecimal.valueOf(notional));
            }
        }
        Walk exact = BookWalker.walk(book, Side.BUY, 50_300);
        assertThat(exact.complete()).isTrue();
        assertThat(exact.levels()).isEqualTo(2);
        assertThat(exact.baseQty()).isEqualTo(new BigDecimal("500"));
        assertThat(exact.avgPrice()).isEqualByComparingTo("100.6");
        Walk thin = BookWalker.walk(book, Side.SELL, 100_000);
        assertThat(thin.complete()).isFalse();
        assertThat(thin.levels()).isEqualTo(3);
        assertThat(thin.filledNotional()).isEqualByComparingTo("59875");
        assertThat(thin.worstPrice()).isEqualTo(new BigDecimal("97.5"));
    }

    @Test
    void shouldTreatATargetWithMoreDigitsThanTheBookExactly() {
        // notional scale 1 (price 0.1, size 1): 20,000.0 is on the first ask's end, 20,000.01 just
        // past it
        L2Book book = new L2Book();
        book.set(false, 1000, 1, 200, 0);
        book.set(false, 1010, 1, 300, 0);
        book.set(true, 990, 1, 100, 0);
        for (String n :
                List.of(
                        "20000",
                        "20000.000",
                        "20000.01",
                        "19999.99",
                        "19999.999999999",
                        "0.001",
                        "50300.0000",
                        "50300.0001")) {
            for (Side side : Side.values()) {
                assertSameEverywhere(book, side, new BigDecimal(n));
            }
        }
        assertThat(BookWalker.walk(book, Side.BUY, new BigDecimal("20000.000")).levels())
                .isEqualTo(1);
        assertThat(BookWalker.walk(book, Side.BUY, new BigDecimal("20000.01")).levels())
                .isEqualTo(2);
        assertThat(BookWalker.walk(book, Side.BUY, new BigDecimal("50300.0001")).complete())
                .isFalse();
    }

    @Test
    void shouldEqualTheReferenceOnRandomBooksAtEveryScaleAndBoundary() {
        SplittableRandom rnd = new SplittableRandom(5);
        int boundaries = 0;
        int thin = 0;
        for (int round = 0; round < 600; round++) {
            int priceScale = rnd.nextInt(0, 11);
            int sizeScale = rnd.nextInt(0, 11);
            L2Book book = new L2Book();
            book.reset(priceScale, sizeScale);
            long unit = BigDecimal.ONE.scaleByPowerOfTen(priceScale).longValueExact();
            long bid = (2_000 + rnd.nextInt(90_000)) * unit;
            long ask = bid + 1 + rnd.nextInt(10);
            // a third of the books are thin: 1 to 3 levels of at most 0.01 units
            boolean thinBook = rnd.nextInt(3) == 0;
            int levels = thinBook ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(60);
            long maxSize =
                    thinBook
                            ? Math.max(
                                    1, BigDecimal.ONE.scaleByPowerOfTen(sizeScale - 2).longValue())
                            : BigDecimal.valueOf(3).scaleByPowerOfTen(sizeScale).longValueExact();
            for (int i = 0; i < levels; i++) {
                book.set(true, bid, 1 + rnd.nextLong(maxSize));
                book.set(false, ask, 1 + rnd.nextLong(maxSize));
                bid -= 1 + rnd.nextInt(1 + (int) Math.min(unit, 1_000));
                ask += 1 + rnd.nextInt(1 + (int) Math.min(unit, 1_000));
            }
            OrderBookSnapshot snapshot = book.toSnapshot("kraken", "BTC/USD", 7L, 0L, 0L);
            for (Side side : Side.values()) {
                boolean bidSide = side == Side.SELL;
                long[] prices = bidSide ? snapshot.bidPrices : snapshot.askPrices;
                long[] sizes = bidSide ? snapshot.bidSizes : snapshot.askSizes;
                List<BigDecimal> targets = new ArrayList<>();
                for (long n : new long[] {1, 50_000, 100_000, 1 + rnd.nextInt(2_000_000)}) {
                    targets.add(BigDecimal.valueOf(n));
                }
                // exactly a prefix's cumulative notional, and one unit of its last digit either
                // side
                BigDecimal cum = BigDecimal.ZERO;
                int cut = rnd.nextInt(prices.length);
                for (int i = 0; i <= cut; i++) {
                    cum =
                            cum.add(
                                    BigDecimal.valueOf(prices[i], priceScale)
                                            .multiply(BigDecimal.valueOf(sizes[i], sizeScale)));
                }
                BigDecimal ulp = BigDecimal.ONE.movePointLeft(priceScale + sizeScale);
                targets.add(cum);
                targets.add(cum.add(ulp));
                targets.add(cum.subtract(ulp).max(ulp));
                targets.add(cum.add(ulp.movePointLeft(3))); // more fraction digits than the book
                targets.add(cum.setScale(priceScale + sizeScale + 2)); // trailing zeros
                for (BigDecimal target : targets) {
                    Walk w = assertSameEverywhere(book, side, target);
                    if (target.compareTo(cum) == 0) {
                        boundaries++;
                        assertThat(w.complete()).isTrue();
                        assertThat(w.levels()).isEqualTo(cut + 1);
                    }
                    if (!w.complete()) {
                        thin++;
                    }
                }
            }
            for (long n : new long[] {1, 100_000, 1 + rnd.nextInt(2_000_000)}) {
                for (String bookSide : List.of("bid", "ask")) {
                    BookSlice expected = referenceSlice(snapshot, bookSide, BigDecimal.valueOf(n));
                    assertThat(BookWalker.slice(snapshot, bookSide, BigDecimal.valueOf(n)))
                            .isEqualTo(expected);
                    assertThat(
                                    BookWalker.slice(
                                            book,
                                            "kraken",
                                            "BTC/USD",
                                            7L,
                                            bookSide,
                                            BigDecimal.valueOf(n)))
                            .isEqualTo(expected);
                }
            }
        }
        assertThat(boundaries)
                .isEqualTo(2_400); // 600 books x 2 sides x (the prefix sum, and it with trailing
        // zeros)
        assertThat(thin).isGreaterThan(500);
    }

    @Test
    void shouldBuildEqualExecutionQuotesFromEitherBook() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int round = 0; round < 200; round++) {
            int priceScale = rnd.nextInt(0, 9);
            int sizeScale = rnd.nextInt(0, 9);
            L2Book book = new L2Book();
            book.reset(priceScale, sizeScale);
            long unit = BigDecimal.ONE.scaleByPowerOfTen(priceScale).longValueExact();
            long bid = (1_000 + rnd.nextInt(90_000)) * unit;
            long ask = bid + 1 + rnd.nextInt(100);
            int levels = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 80);
            long maxSize = BigDecimal.valueOf(2).scaleByPowerOfTen(sizeScale).longValueExact();
            for (int i = 0; i < levels; i++) {
                book.set(true, bid, 1 + rnd.nextLong(maxSize));
                book.set(false, ask, 1 + rnd.nextLong(maxSize));
                bid -= 1 + rnd.nextInt(1 + (int) Math.min(unit, 5_000));
                ask += 1 + rnd.nextInt(1 + (int) Math.min(unit, 5_000));
            }
            OrderBookSnapshot snapshot = book.toSnapshot("coinbase", "ETH/USD", 1_234L, 0L, 0L);
            BigDecimal mid = snapshot.mid();
            assertThat(BookWalker.mid(book)).isEqualTo(mid);
            assertThat(BookWalker.mid(snapshot.levels())).isEqualTo(mid);
            for (Side side : Side.values()) {
                for (long notional :
                        new long[] {
                            10_000, 50_000, 100_000, 1_000_000, 1 + rnd.nextInt(3_000_000)
                        }) {
                    ExecutionQuote fromSnapshot =
                            ExecutionQuotes.quote(
                                    60_000L,
                                    "coinbase",
                                    "ETH/USD",
                                    1_234L,
                                    snapshot.levels(),
                                    mid,
                                    side,
                                    notional);
                    ExecutionQuote fromL2Book =
                            ExecutionQuotes.quote(
                                    60_000L,
                                    "coinbase",
                                    "ETH/USD",
                                    1_234L,
                                    book,
                                    mid,
                                    side,
                                    notional);
                    assertThat(fromL2Book).isEqualTo(fromSnapshot);
                    // as the job built it before: the BigDecimal walk of the snapshot, fields in
                    // order
                    Walk w = referenceWalk(snapshot, side, BigDecimal.valueOf(notional));
                    ExecutionQuote before =
                            new ExecutionQuote(
                                    60_000L,
                                    "coinbase",
                                    "ETH/USD",
                                    side.wireName(),
                                    notional,
                                    w.complete(),
                                    BookWalker.toStored(w.avgPrice()),
                                    BookWalker.toStored(w.worstPrice()),
                                    BookWalker.toStored(w.baseQty()),
                                    BookWalker.toStored(w.filledNotional()),
                                    w.levels(),
                                    BookWalker.slippageBps(w, mid),
                                    1_234L);
                    assertThat(fromSnapshot).isEqualTo(before);
                }
            }
        }
    }

    @Test
    void shouldStayExactWhereNotionalsOverflowALong() {
        // 10 price and 10 size decimals: notionals are scale-20 integers, beyond 2^63.
        L2Book book = new L2Book();
        book.reset(10, 10);
        book.set(false, 90_000_0000000000L, 3_0000000000L);
        book.set(false, 90_001_0000000000L, 5_0000000000L);
        book.set(true, 89_999_0000000000L, 2_0000000000L);
        for (long notional : new long[] {100_000, 270_000, 270_001, 1_000_000}) {
            assertSameEverywhere(book, Side.BUY, BigDecimal.valueOf(notional));
            assertSameEverywhere(book, Side.SELL, BigDecimal.valueOf(notional));
        }
        assertThat(BookWalker.walk(book, Side.BUY, 270_000).levels()).isEqualTo(1);
        assertThat(BookWalker.walk(book, Side.BUY, 270_001).levels()).isEqualTo(2);
    }

    @Test
    void shouldSumBaseQuantitiesBeyondALong() {
        // sizes near 2^62 at scale 0: three levels hold more base units than a long
        L2Book book = new L2Book();
        book.reset(8, 0);
        long size = 4_000_000_000_000_000_000L;
        book.set(false, 1, size);
        book.set(false, 2, size);
        book.set(false, 3, size);
        assertSameEverywhere(book, Side.BUY, BigDecimal.valueOf(1_000_000_000_000L));
        assertSameEverywhere(book, Side.BUY, new BigDecimal("240000000000.00000001"));
        assertThat(BookWalker.walk(book, Side.BUY, new BigDecimal("240000000000")).baseQty())
                .isEqualTo(new BigDecimal("12000000000000000000"));
    }

    @Test
    void shouldRejectAnEmptySideAndANonPositiveNotional() {
        L2Book book = new L2Book();
        book.set(true, 100, 1);
        assertThatThrownBy(() -> BookWalker.walk(book, Side.BUY, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ask side is empty");
        OrderBookSnapshot snapshot = book.toSnapshot("kraken", "BTC/USD", 0L, 0L, 0L);
        assertThatThrownBy(() -> BookWalker.walk(snapshot, Side.BUY, BigDecimal.TEN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ask side is empty");
        assertThatThrownBy(() -> BookWalker.walk(book, Side.SELL, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notional must be positive");
        assertThatThrownBy(() -> BookWalker.walk(snapshot, Side.SELL, new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notional must be positive");
    }

    /**
     * Walks {@code book} as an L2Book and as a snapshot, both ways of asking; all equal the
     * reference.
     */
    private static Walk assertSameEverywhere(L2Book book, Side side, BigDecimal target) {
        OrderBookSnapshot snapshot = book.toSnapshot("kraken", "BTC/USD", 7L, 0L, 0L);
        Walk expected = referenceWalk(snapshot, side, target);
        assertThat(BookWalker.walk(snapshot, side, target))
                .as("snapshot, %s %s", side, target)
                .isEqualTo(expected);
        assertThat(BookWalker.walk(book, side, target))
                .as("L2Book, %s %s", side, target)
                .isEqualTo(expected);
        if (target.scale() == 0
                && target.signum() > 0
                && target.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            long n = target.longValueExact();
            assertThat(BookWalker.walk(book, side, n))
                    .as("L2Book, %s %s", side, n)
                    .isEqualTo(expected);
            assertThat(BookWalker.walk(snapshot.levels(), side, n))
                    .as("levels, %s %s", side, n)
                    .isEqualTo(expected);
        }
        return expected;
    }

    /**
     * The walking rule with a {@code BigDecimal} per level: the poll walker before there was one
     * walker.
     */
    static Walk referenceWalk(OrderBookSnapshot book, Side side, BigDecimal targetNotional) {
        MathContext mc = MathContext.DECIMAL128;
        long[] prices = side == Side.BUY ? book.askPrices : book.bidPrices;
        long[] sizes = side == Side.BUY ? book.askSizes : book.bidSizes;
        BigDecimal cum = BigDecimal.ZERO;
        BigDecimal base = BigDecimal.ZERO;
        for (int i = 0; i < prices.length; i++) {
            BigDecimal price = BigDecimal.valueOf(prices[i], book.priceScale);
            BigDecimal qty = BigDecimal.valueOf(sizes[i], book.sizeScale);
            BigDecimal next = cum.add(price.multiply(qty));
            if (next.compareTo(targetNotional) < 0) {
                cum = next;
                base = base.add(qty);
                continue;
            }
            BigDecimal part =
                    next.compareTo(targetNotional) == 0
                            ? qty
                            : targetNotional.subtract(cum).divide(price, mc);
            base = base.add(part);
            return new Walk(
                    side,
                    targetNotional,
                    true,
                    targetNotional.divide(base, mc),
                    price,
                    base,
                    targetNotional,
                    i + 1);
        }
        return new Walk(
                side,
                targetNotional,
                false,
                cum.divide(base, mc),
                BigDecimal.valueOf(prices[prices.length - 1], book.priceScale),
                base,
                cum,
                prices.length);
    }

    /** The slice with a {@code BigDecimal} per level, as before. */
    static BookSlice referenceSlice(OrderBookSnapshot book, String bookSide, BigDecimal target) {
        boolean asks = "ask".equals(bookSide);
        long[] prices = asks ? book.askPrices : book.bidPrices;
        long[] sizes = asks ? book.askSizes : book.bidSizes;
        BigDecimal cum = BigDecimal.ZERO;
        int n = 0;
        while (n < prices.length && cum.compareTo(target) < 0) {
            cum =
                    cum.add(
                            BigDecimal.valueOf(prices[n], book.priceScale)
                                    .multiply(BigDecimal.valueOf(sizes[n], book.sizeScale)));
            n++;
        }
        Walk walk = referenceWalk(book, asks ? Side.BUY : Side.SELL, target);
        return new BookSlice(
                book.exchange,
                book.market,
                book.receivedAt,
                bookSide,
                book.priceScale,
                book.sizeScale,
                Arrays.copyOf(prices, n),
                Arrays.copyOf(sizes, n),
                cum.setScale(18, RoundingMode.HALF_EVEN),
                walk.avgPrice().setScale(18, RoundingMode.HALF_EVEN),
                walk.complete());
    }
}
