package io.depthflow.job.book;

import io.depthflow.sources.model.OrderBookSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class L2BookTest {

    @Test
    void shouldInsertLevelsInPriceOrderWhateverTheArrivalOrder() {
        L2Book book = new L2Book();
        book.reset(2, 8);
        book.set(true, 10_000, 1);
        book.set(true, 10_200, 2);
        book.set(true, 10_100, 3);
        book.set(false, 10_500, 4);
        book.set(false, 10_300, 5);
        book.set(false, 10_400, 6);

        assertThat(bids(book)).containsExactly(10_200L, 10_100L, 10_000L);
        assertThat(asks(book)).containsExactly(10_300L, 10_400L, 10_500L);
        assertThat(book.bestBid()).isEqualTo(10_200);
        assertThat(book.bestAsk()).isEqualTo(10_300);
        assertThat(book.bidSize(0)).isEqualTo(2);
        assertThat(book.askSize(2)).isEqualTo(4);
        assertThat(book.isCrossed()).isFalse();
    }

    @Test
    void shouldReplaceTheSizeOfAnExistingLevelRatherThanAddToIt() {
        L2Book book = new L2Book();
        book.set(true, 100, 5);
        book.set(true, 100, 7);
        assertThat(book.bidCount()).isEqualTo(1);
        assertThat(book.bidSize(0)).isEqualTo(7);
    }

    @Test
    void shouldRemoveALevelOnSizeZeroAndIgnoreRemovalOfAnUnknownPrice() {
        L2Book book = new L2Book();
        book.set(false, 101, 1);
        book.set(false, 102, 1);
        book.set(false, 101, 0);
        book.set(false, 99, 0);
        assertThat(asks(book)).containsExactly(102L);
    }

    @Test
    void shouldDropTheWorstLevelsBeyondTheSubscribedDepthOnTruncate() {
        L2Book book = new L2Book(3);
        for (int i = 1; i <= 5; i++) {
            book.set(true, 100 - i, i);
            book.set(false, 100 + i, i);
        }
        assertThat(book.bidCount()).isEqualTo(5);
        book.truncate();
        assertThat(bids(book)).containsExactly(99L, 98L, 97L);
        assertThat(asks(book)).containsExactly(101L, 102L, 103L);

        // A better bid pushes the worst one out at the next truncation.
        book.set(true, 100, 9);
        book.truncate();
        assertThat(bids(book)).containsExactly(100L, 99L, 98L);
    }

    @Test
    void shouldRescaleEveryLevelWhenAValueHasMoreFractionDigits() {
        L2Book book = new L2Book();
        book.set(true, 905, 1, 15, 1); // 90.5 x 1.5
        book.set(false, 91, 0, 2, 0); // 91 x 2
        book.set(true, 9049, 2, 125, 3); // 90.49 x 0.125

        assertThat(book.priceScale()).isEqualTo(2);
        assertThat(book.sizeScale()).isEqualTo(3);
        assertThat(bids(book)).containsExactly(9050L, 9049L);
        assertThat(book.bidSize(0)).isEqualTo(1500);
        assertThat(book.askPrice(0)).isEqualTo(9100);
        assertThat(book.askSize(0)).isEqualTo(2000);
    }

    @Test
    void shouldLeaveTheBookUnchangedWhenARescaleWouldOverflow() {
        L2Book book = new L2Book();
        book.reset(0, 0);
        book.set(true, 9_000_000_000_000L, 1);
        L2Book before = book.copy();
        assertThatThrownBy(() -> book.ensureScales(10, 0)).isInstanceOf(ArithmeticException.class);
        assertThat(book).isEqualTo(before);
    }

    @Test
    void shouldRejectAValueThatOverflowsWhenRaisedToTheBooksScaleInsteadOfWrappingIt() {
        L2Book book = new L2Book();
        book.set(true, 905, 10, 1, 0); // the book's price scale is now 10
        L2Book before = book.copy();
        // 2,000,000,000 at scale 0 is 2e19 at scale 10: beyond a long (plain * wraps to a negative
        // price)
        assertThatThrownBy(() -> book.set(false, 2_000_000_000L, 0, 1, 0))
                .isInstanceOf(ArithmeticException.class);
        // a size that overflows when raised to the book's size scale is rejected too
        book.set(true, 906, 10, 1, 8);
        L2Book before2 = book.copy();
        assertThatThrownBy(() -> book.set(true, 907, 10, 200_000_000_000L, 0))
                .isInstanceOf(ArithmeticException.class);
        assertThat(book).isEqualTo(before2);
        assertThat(before.bidCount()).isEqualTo(1);
    }

    @Test
    void shouldReportCrossedAndOneSidedBooks() {
        L2Book book = new L2Book();
        book.set(true, 100, 1);
        assertThat(book.hasBothSides()).isFalse();
        assertThat(book.isCrossed()).isFalse();
        book.set(false, 100, 1);
        assertThat(book.isCrossed()).isTrue();
    }

    @Test
    void shouldRoundTripThroughSnapshotLoadAndCopy() {
        L2Book book = randomBook(new SplittableRandom(3), 300, 0);
        OrderBookSnapshot s = book.toSnapshot("kraken", "BTC/USD", 1L, 2L, 3L);
        L2Book loaded = new L2Book();
        loaded.load(
                s.priceScale,
                s.sizeScale,
                s.bidPrices,
                s.bidSizes,
                s.bidCount(),
                s.askPrices,
                s.askSizes,
                s.askCount());
        assertThat(loaded).isEqualTo(book);
        assertThat(loaded.copy()).isEqualTo(book);
        assertThat(s.bidPrices[0]).isEqualTo(book.bestBid());
        assertThat(s.askPrices[0]).isEqualTo(book.bestAsk());
    }

    /**
     * Random updates, concentrated near the top like a real feed, with periodic truncation: the
     * book must equal a TreeMap<BigDecimal, BigDecimal> model after every step (this also drives
     * the deque through its growth and re-centring paths at both ends).
     */
    @Test
    void shouldMatchASortedMapModelOverARandomUpdateStream() {
        for (int depth : new int[] {0, 10, 100}) {
            SplittableRandom rnd = new SplittableRandom(11 + depth);
            L2Book book = new L2Book(depth);
            book.reset(2, 8);
            TreeMap<BigDecimal, BigDecimal> bidModel = new TreeMap<>(Comparator.reverseOrder());
            TreeMap<BigDecimal, BigDecimal> askModel = new TreeMap<>();
            long mid = 9_000_000;
            for (int step = 0; step < 40_000; step++) {
                mid += rnd.nextInt(-3, 4);
                boolean bid = rnd.nextBoolean();
                int distance = rnd.nextDouble() < 0.8 ? rnd.nextInt(20) : rnd.nextInt(2_000);
                long price = bid ? mid - 1 - distance : mid + 1 + distance;
                long size = rnd.nextDouble() < 0.3 ? 0 : 1 + rnd.nextInt(1_000_000);
                book.set(bid, price, size);
                apply(bid ? bidModel : askModel, price, size);
                if (depth > 0 && step % 3 == 0) {
                    book.truncate();
                    truncate(bidModel, depth);
                    truncate(askModel, depth);
                }
                if (step % 997 == 0 || step == 39_999) {
                    assertSameAs(book, bidModel, askModel);
                }
            }
        }
    }

    /**
     * The galloping lookup answers exactly as a plain binary search, for every key and run length.
     */
    @Test
    void shouldFindEveryKeyAndInsertionPointAsABinarySearchDoes() {
        for (int n = 0; n <= 70; n++) {
            L2Book.Ladder ladder = new L2Book.Ladder(false);
            for (int i = 0; i < n; i++) {
                ladder.insertAt(ladder.hi, 10L * (i + 1), 1);
            }
            for (long key = 0; key <= 10L * n + 11; key++) {
                assertThat(ladder.find(key))
                        .as("n=%d key=%d", n, key)
                        .isEqualTo(
                                java.util.Arrays.binarySearch(
                                        ladder.keys, ladder.lo, ladder.hi, key));
            }
        }
    }

    private static void apply(TreeMap<BigDecimal, BigDecimal> side, long price, long size) {
        BigDecimal p = BigDecimal.valueOf(price, 2);
        if (size == 0) {
            side.remove(p);
        } else {
            side.put(p, BigDecimal.valueOf(size, 8));
        }
    }

    private static void truncate(TreeMap<BigDecimal, BigDecimal> side, int depth) {
        while (side.size() > depth) {
            side.pollLastEntry();
        }
    }

    private static void assertSameAs(
            L2Book book,
            TreeMap<BigDecimal, BigDecimal> bidModel,
            TreeMap<BigDecimal, BigDecimal> askModel) {
        assertThat(book.bidCount()).isEqualTo(bidModel.size());
        assertThat(book.askCount()).isEqualTo(askModel.size());
        int i = 0;
        for (Map.Entry<BigDecimal, BigDecimal> e : bidModel.entrySet()) {
            assertThat(BigDecimal.valueOf(book.bidPrice(i), 2)).isEqualTo(e.getKey());
            assertThat(BigDecimal.valueOf(book.bidSize(i), 8)).isEqualTo(e.getValue());
            i++;
        }
        i = 0;
        for (Map.Entry<BigDecimal, BigDecimal> e : askModel.entrySet()) {
            assertThat(BigDecimal.valueOf(book.askPrice(i), 2)).isEqualTo(e.getKey());
            assertThat(BigDecimal.valueOf(book.askSize(i), 8)).isEqualTo(e.getValue());
            i++;
        }
    }

    /** A random uncrossed book with {@code levels} levels per side. */
    static L2Book randomBook(SplittableRandom rnd, int levels, int depth) {
        L2Book book = new L2Book(depth);
        book.reset(2, 8);
        long bid = 9_000_000;
        long ask = bid + 1 + rnd.nextInt(5);
        for (int i = 0; i < levels; i++) {
            book.set(true, bid, 1 + rnd.nextLong(500_000_000L));
            book.set(false, ask, 1 + rnd.nextLong(500_000_000L));
            bid -= 1 + rnd.nextInt(4);
            ask += 1 + rnd.nextInt(4);
        }
        return book;
    }

    static List<Long> bids(L2Book book) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < book.bidCount(); i++) {
            out.add(book.bidPrice(i));
        }
        return out;
    }

    static List<Long> asks(L2Book book) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < book.askCount(); i++) {
            out.add(book.askPrice(i));
        }
        return out;
    }
}
