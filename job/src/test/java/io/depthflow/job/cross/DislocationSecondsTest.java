package io.depthflow.job.cross;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;

import io.depthflow.job.liquidity.TakerFees;
import io.depthflow.sources.model.Arbitrage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a dislocation existed, from the venues' top-of-book changes: counted by hand below (fees
 * of 10 bps on "alpha" and 0 on "beta", so alpha's asks cost 0.1 % more), carried across windows,
 * and nothing left in state once the windows are closed.
 */
class DislocationSecondsTest {

    private static final long W0 = 1_763_639_100_000L;
    private static final long W1 = W0 + 60_000;

    private static final LiquidityOptions OPTIONS =
            new LiquidityOptions(
                    TakerFees.of(Map.of("alpha", BigDecimal.TEN, "beta", BigDecimal.ZERO)),
                    new int[] {10},
                    new long[] {1_000});

    private static KeyedTwoInputStreamOperatorTestHarness<String, Arbitrage, TopOfBook, Arbitrage>
            harness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new DislocationSeconds(OPTIONS)),
                new DislocationSeconds.RowMarket(),
                new DislocationSeconds.TopMarket(),
                Types.STRING);
    }

    private static StreamRecord<TopOfBook> top(String venue, long t, String bid, String ask) {
        return new StreamRecord<>(
                new TopOfBook(
                        venue,
                        "BTC/USD",
                        t,
                        bid != null,
                        bid == null ? null : new BigDecimal(bid),
                        ask == null ? null : new BigDecimal(ask)),
                t);
    }

    private static StreamRecord<Arbitrage> row(long window, String buy, String sell) {
        Arbitrage a = new Arbitrage();
        a.windowStart = window;
        a.market = "BTC/USD";
        a.buyExchange = buy;
        a.sellExchange = sell;
        return new StreamRecord<>(a, window + 59_999);
    }

    @Test
    void shouldCountTheMillisecondsEachPairWasDislocatedAcrossWindows() throws Exception {
        try (var h = harness()) {
            h.open();
            // alpha's ask 100 costs 100.1 with its fee: beta's bid must be above 100.1
            h.processElement2(top("alpha", W0 + 1_000, "99", "100"));
            h.processElement2(top("beta", W0 + 2_000, "100.1", "101")); // equal: not dislocated
            h.processElement2(top("beta", W0 + 10_000, "100.2", "101")); // dislocated from 10 s
            h.processElement2(
                    top("alpha", W0 + 25_500, null, null)); // alpha unusable: not from 25.5 s
            h.processElement2(top("alpha", W0 + 40_000, "99", "100")); // again from 40 s to the end
            h.processElement1(row(W0, "alpha", "beta"));
            h.processBothWatermarks(new Watermark(W0 + 59_999));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(a -> assertThat(a.openMs).isEqualTo(15_500L + 20_000L));

            // the next window starts with the tops carried over: dislocated until beta's bid falls
            // at 30 s
            h.processElement2(top("beta", W1 + 30_000, "100", "101"));
            h.processElement1(row(W1, "alpha", "beta"));
            h.processBothWatermarks(new Watermark(W1 + 59_999));
            assertThat(h.extractOutputValues())
                    .hasSize(2)
                    .last()
                    .satisfies(a -> assertThat(a.openMs).isEqualTo(30_000L));

            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldKeyTopsExactlyAsTheStateWasWrittenBeforeSoRestoredKeysStillSortByTime() {
        // the keys of savepoints taken before: String.format("%015d|%s")
        for (long time : new long[] {0, 7, 1_796_559_120_000L, 999_999_999_999_999L, 1L << 60}) {
            assertThat(DislocationSeconds.topKey(time, "kraken"))
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%015d|%s", time, "kraken"));
        }
        assertThat(DislocationSeconds.topKey(-5, "gemini")).isEqualTo("-00000000000005|gemini");
        assertThat(DislocationSeconds.topKey(1_796_559_119_999L, "kraken"))
                .isLessThan(DislocationSeconds.topKey(1_796_559_120_000L, "bitfinex"));
    }

    @Test
    void shouldBeFlinkPojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TopOfBook.class);
    }
}
