package io.depthflow.job.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.job.quote.Walk;
import io.depthflow.sources.model.OrderBookSnapshot;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

/** The compact walk must give BookWalker's results exactly: same values, same scales. */
class CompactWalkerTest {

    @Test
    void shouldEqualBookWalkerOnTheWorkedExample() {
        // asks: 100 x 200 = 20,000 ; 101 x 300 = 30,300 ; 102 x 1000 = 102,000
        // bids: 99 x 100 = 9,900 ; 98 x 500 = 49,000 ; 97.5 x 10 = 975
        L2Book book = new L2Book();
        book.set(false, 1000, 1, 200, 0);
        book.set(false, 1010, 1, 300, 0);
        book.set(false, 1020, 1, 1000, 0);
        book.set(true, 990, 1, 100, 0);
        book.set(true, 980, 1, 500, 0);
        book.set(true, 975, 1, 10, 0);
        for (long notional : new long[] {990, 20_000, 50_000, 50_300, 100_000, 152_300, 500_000}) {
            for (Side side : Side.values()) {
                assertSameWalk(book, side, notional);
            }
        }
        Walk exact = CompactWalker.walk(book, Side.BUY, 50_300);
        assertThat(exact.complete()).isTrue();
        assertThat(exact.levels()).isEqualTo(2);
        assertThat(exact.avgPrice()).isEqualByComparingTo("100.6");
        Walk thin = CompactWalker.walk(book, Side.SELL, 100_000);
        assertThat(thin.complete()).isFalse();
        assertThat(thin.filledNotional()).isEqualByComparingTo("59875");
    }

    @Test
    void shouldEqualBookWalkerOnRandomBooksAtEveryScale() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int round = 0; round < 400; round++) {
            int priceScale = rnd.nextInt(0, 11);
            int sizeScale = rnd.nextInt(0, 11);
            L2Book book = new L2Book();
            book.reset(priceScale, sizeScale);
            long unit = BigDecimal.ONE.scaleByPowerOfTen(priceScale).longValueExact();
            long bid = (2_000 + rnd.nextInt(90_000)) * unit;
            long ask = bid + 1 + rnd.nextInt(10);
            int levels = 1 + rnd.nextInt(60);
            long maxSize = BigDecimal.valueOf(3).scaleByPowerOfTen(sizeScale).longValueExact();
            for (int i = 0; i < levels; i++) {
                book.set(true, bid, 1 + rnd.nextLong(maxSize));
                book.set(false, ask, 1 + rnd.nextLong(maxSize));
                bid -= 1 + rnd.nextInt(1 + (int) Math.min(unit, 1_000));
                ask += 1 + rnd.nextInt(1 + (int) Math.min(unit, 1_000));
            }
            for (long notional : new long[] {1, 50_000, 100_000, 1 + rnd.nextInt(2_000_000)}) {
                assertSameWalk(book, Side.BUY, notional);
                assertSameWalk(book, Side.SELL, notional);
                OrderBookSnapshot s = snapshot(book);
                assertThat(CompactWalker.slice(book, "kraken", "BTC/USD", 7L, "bid", notional))
                        .isEqualTo(BookWalker.slice(s, "bid", BigDecimal.valueOf(notional)));
                assertThat(CompactWalker.slice(book, "kraken", "BTC/USD", 7L, "ask", notional))
                        .isEqualTo(BookWalker.slice(s, "ask", BigDecimal.valueOf(notional)));
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
            assertSameWalk(book, Side.BUY, notional);
            assertSameWalk(book, Side.SELL, notional);
        }
        assertThat(CompactWalker.walk(book, Side.BUY, 270_000).levels()).isEqualTo(1);
        assertThat(CompactWalker.walk(book, Side.BUY, 270_001).levels()).isEqualTo(2);
    }

    @Test
    void shouldRejectAnEmptySide() {
        L2Book book = new L2Book();
        book.set(true, 100, 1);
        assertThatThrownBy(() -> CompactWalker.walk(book, Side.BUY, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ask side is empty");
    }

    private static void assertSameWalk(L2Book book, Side side, long notional) {
        Walk expected = BookWalker.walk(snapshot(book), side, BigDecimal.valueOf(notional));
        assertThat(CompactWalker.walk(book, side, notional)).isEqualTo(expected);
    }

    private static OrderBookSnapshot snapshot(L2Book book) {
        return book.toSnapshot("kraken", "BTC/USD", 7L, 0L, 0L);
    }
}
