package io.depthflow.job.quote;

import io.depthflow.job.TestBooks;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.OrderBookSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BookWalkerTest {

    // asks: 100 x 200 = 20,000 ; 101 x 300 = 30,300 ; 102 x 1000 = 102,000
    // bids: 99 x 100 = 9,900 ; 98 x 500 = 49,000 ; 97.5 x 10 = 975
    private final OrderBookSnapshot book =
            TestBooks.book("coinbase", "BTC/USD", 0L)
                    .bid("99", "100")
                    .bid("98", "500")
                    .bid("97.5", "10")
                    .ask("100", "200")
                    .ask("101", "300")
                    .ask("102", "1000")
                    .build();

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void shouldCutThePartialLevelSoTheNotionalIsReachedExactly() {
        Walk w = BookWalker.walk(book, Side.BUY, d("50000"));
        // 20,000 + 30,300 = 50,300 >= 50,000: level 2 is cut: (50,000 - 20,000) / 101 base
        BigDecimal base = d("200").add(d("30000").divide(d("101"), BookWalker.MC));
        assertThat(w.complete()).isTrue();
        assertThat(w.levels()).isEqualTo(2);
        assertThat(w.worstPrice()).isEqualByComparingTo("101");
        assertThat(w.baseQty()).isEqualByComparingTo(base);
        assertThat(w.filledNotional()).isEqualByComparingTo("50000");
        assertThat(w.avgPrice()).isEqualByComparingTo(d("50000").divide(base, BookWalker.MC));
        // 50,000 / 497.0297029702970297... = 100.5976...
        assertThat(w.avgPrice().doubleValue())
                .isCloseTo(100.59760956175299, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void shouldTakeTheWholeLevelWhenItReachesTheNotionalExactly() {
        Walk w = BookWalker.walk(book, Side.BUY, d("50300"));
        assertThat(w.complete()).isTrue();
        assertThat(w.levels()).isEqualTo(2);
        assertThat(w.baseQty()).isEqualByComparingTo("500");
        assertThat(w.avgPrice()).isEqualByComparingTo("100.6");
    }

    @Test
    void shouldStopInsideTheFirstLevelForASmallOrder() {
        Walk w = BookWalker.walk(book, Side.SELL, d("990"));
        assertThat(w.levels()).isEqualTo(1);
        assertThat(w.baseQty()).isEqualByComparingTo("10");
        assertThat(w.avgPrice()).isEqualByComparingTo("99");
        assertThat(w.worstPrice()).isEqualByComparingTo("99");
    }

    @Test
    void shouldReportAnIncompleteWalkOverWhatExistsWhenTheBookIsThin() {
        Walk w = BookWalker.walk(book, Side.SELL, d("100000"));
        assertThat(w.complete()).isFalse();
        assertThat(w.levels()).isEqualTo(3);
        assertThat(w.filledNotional()).isEqualByComparingTo("59875");
        assertThat(w.baseQty()).isEqualByComparingTo("610");
        assertThat(w.avgPrice()).isEqualByComparingTo(d("59875").divide(d("610"), BookWalker.MC));
        assertThat(w.worstPrice()).isEqualByComparingTo("97.5");
    }

    @Test
    void shouldMeasureSlippageAgainstTheMidWithWorseBeingPositive() {
        Walk buy = BookWalker.walk(book, Side.BUY, d("50300"));
        Walk sell = BookWalker.walk(book, Side.SELL, d("990"));
        // mid 99.5: buy avg 100.6 -> +110.552... bps; sell avg 99 -> +50.25... bps
        assertThat(BookWalker.slippageBps(buy, d("99.5")))
                .isCloseTo(110.55276381909548, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(BookWalker.slippageBps(sell, d("99.5")))
                .isCloseTo(50.25125628140704, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(BookWalker.spreadBps(d("99"), d("100")))
                .isCloseTo(100.50251256281407, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldRejectANonPositiveNotional() {
        assertThatThrownBy(() -> BookWalker.walk(book, Side.BUY, BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }

    @Test
    void shouldSliceTheShortestPrefixReachingTheTarget() {
        BookSlice asks = BookWalker.slice(book, "ask", d("50000"));
        assertThat(asks.prices).containsExactly(1000L, 1010L); // price scale 1 (97.5)
        assertThat(asks.sizes).containsExactly(200L, 300L);
        assertThat(asks.cumulativeNotional).isEqualByComparingTo("50300");
        assertThat(asks.complete).isTrue();
        assertThat(asks.vwap)
                .isEqualByComparingTo(
                        BookWalker.toStored(
                                BookWalker.walk(book, Side.BUY, d("50000")).avgPrice()));

        BookSlice bids = BookWalker.slice(book, "bid", d("100000"));
        assertThat(bids.prices).containsExactly(990L, 980L, 975L);
        assertThat(bids.priceScale).isEqualTo(1);
        assertThat(bids.complete).isFalse();
        assertThat(bids.cumulativeNotional).isEqualByComparingTo("59875");
    }
}
