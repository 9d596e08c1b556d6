package io.depthflow.job.cross;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;

import io.depthflow.job.TestBooks;
import io.depthflow.job.liquidity.TakerFees;
import io.depthflow.sources.model.Arbitrage;
import io.depthflow.sources.model.LiquidityBand;
import io.depthflow.sources.model.RoutedExecution;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The liquidity stage in a harness: it waits for the watermark to close the window, then writes the
 * window's rows from whatever venues' books arrived (names come from the data), with the
 * completeness of the venues behind each row, and keeps no state or timer afterwards.
 */
class LiquidityStageTest {

    private static final long W0 = 1_763_639_100_000L;
    private static final long END = W0 + 59_999;

    private static final LiquidityOptions OPTIONS =
            new LiquidityOptions(
                    TakerFees.of(
                            Map.of(
                                    "alpha",
                                    BigDecimal.ZERO,
                                    "beta",
                                    BigDecimal.ZERO,
                                    "gamma",
                                    BigDecimal.ZERO)),
                    new int[] {10},
                    new long[] {1_000});

    private static KeyedOneInputStreamOperatorTestHarness<String, WindowBook, RoutedExecution>
            harness(int expected) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LiquidityStage(OPTIONS, expected)),
                new LiquidityStage.Market(),
                Types.STRING);
    }

    private static WindowBook book(String venue, String bid, String ask, int samples) {
        return new WindowBook(
                W0,
                samples,
                6,
                0,
                TestBooks.book(venue, "BTC/USD", END).bid(bid, "10").ask(ask, "10").build());
    }

    @Test
    void shouldWriteTheWindowsRowsOnceTheWatermarkClosesItForAnyVenues() throws Exception {
        try (var h = harness(3)) {
            h.open();
            h.processElement(new StreamRecord<>(book("gamma", "100", "101", 6), END));
            h.processElement(
                    new StreamRecord<>(
                            book("alpha", "102", "103", 5),
                            END)); // alpha's bid is above gamma's ask
            h.processWatermark(new Watermark(END - 1));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(new Watermark(END));

            List<RoutedExecution> routes = h.extractOutputValues();
            assertThat(routes).extracting(r -> r.side).containsExactly("buy", "sell");
            RoutedExecution buy = routes.get(0);
            assertThat(buy.legExchanges).containsExactly("gamma"); // 1,000 at gamma's 101
            assertThat(buy.allInPrice).isEqualByComparingTo("101");
            assertThat(buy.bestSingleExchange).isEqualTo("gamma");
            assertThat(buy.mid).isEqualByComparingTo("101.5");
            assertThat(buy.exchanges).containsExactly("alpha", "gamma");
            assertThat(buy.exchangeSamples).isEqualTo(11);
            assertThat(buy.expectedSamples).isEqualTo(12);
            assertThat(buy.expectedExchanges).isEqualTo(3);

            List<LiquidityBand> bands =
                    h.getSideOutput(LiquidityStage.BANDS).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(bands)
                    .extracting(
                            b ->
                                    b.exchange
                                            + " "
                                            + b.bandBps
                                            + " "
                                            + b.samples
                                            + " "
                                            + String.join(",", b.exchanges))
                    .containsExactly(
                            "alpha 10 5 alpha", "gamma 10 6 gamma", "all 10 2 alpha,gamma");

            List<Arbitrage> arbitrage =
                    h.getSideOutput(LiquidityStage.ARBITRAGE).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(arbitrage)
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.buyExchange + ">" + a.sellExchange)
                                        .isEqualTo("gamma>alpha");
                                assertThat(a.profit)
                                        .isEqualByComparingTo("10"); // 10 at 101 sold at 102
                                assertThat(a.openMs).isNull();
                            });
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldBeFlinkPojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowBook.class);
    }
}
