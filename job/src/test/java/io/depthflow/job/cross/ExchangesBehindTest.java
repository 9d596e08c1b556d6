package io.depthflow.job.cross;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangesBehindTest {

    private static final long W0 = 1_763_639_100_000L;
    private static final long END = W0 + 59_999;

    private static KeyedTwoInputStreamOperatorTestHarness<String, MidPrice, MidPrice, MidPrice>
            mids() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(ExchangesBehind.allMids(2)),
                new ExchangesBehind.MidMarket(),
                new ExchangesBehind.MidMarket(),
                Types.STRING);
    }

    private static MidPrice exchangeMid(String exchange, int samples, long goodMs) {
        MidPrice m =
                new MidPrice(
                        W0,
                        "BTC/USD",
                        exchange,
                        BigDecimal.TEN,
                        samples,
                        BigDecimal.ONE,
                        BigDecimal.TEN,
                        0);
        m.expectedSamples = 3;
        m.goodMs = goodMs;
        return m;
    }

    private static MidPrice allMid(int exchanges) {
        return new MidPrice(
                W0, "BTC/USD", "all", BigDecimal.TEN, exchanges, BigDecimal.ONE, BigDecimal.TEN, 0);
    }

    @Test
    void shouldNameTheExchangesBehindAnAllMidWhicheverInputArrivesFirst() throws Exception {
        try (var h = mids()) {
            h.open();
            // the SQL's row may overtake the per-exchange rows: it waits for the watermark
            h.processElement2(new StreamRecord<>(allMid(2), END));
            h.processElement1(new StreamRecord<>(exchangeMid("kraken", 2, 0), END));
            h.processElement1(new StreamRecord<>(exchangeMid("coinbase", 3, 0), END));
            h.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(END));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(END));

            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            m -> {
                                assertThat(m.exchanges).containsExactly("coinbase", "kraken");
                                assertThat(m.exchangeSamples).isEqualTo(5);
                                assertThat(m.expectedSamples).isEqualTo(6);
                                assertThat(m.samples).isEqualTo(2);
                                assertThat(m.expectedExchanges).isEqualTo(2);
                            });
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldEmitARowRestoredWithoutExchangeStateWithoutNames() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = mids()) {
            h.open();
            h.processElement1(new StreamRecord<>(exchangeMid("kraken", 0, 41_000), END));
            snapshot = h.snapshot(1, W0 + 10_000);
        }
        try (var h = mids()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement2(new StreamRecord<>(allMid(1), END));
            h.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(END));
            h.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(END));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            m -> {
                                assertThat(m.exchanges).containsExactly("kraken");
                                assertThat(m.goodMs).isEqualTo(41_000);
                            });
        }
        try (var h = mids()) { // an operator new in this release: empty state
            h.open();
            h.processElement2(new StreamRecord<>(allMid(2), END));
            h.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(END));
            h.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(END));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            m -> {
                                assertThat(m.exchanges).isNull();
                                assertThat(m.samples).isEqualTo(2);
                            });
        }
    }

    @Test
    void shouldNameEveryExchangeThatQuotedTheWindowBehindEachBestExecutionRow() throws Exception {
        try (var h =
                new KeyedTwoInputStreamOperatorTestHarness<
                        String, ExecutionQuote, BestExecution, BestExecution>(
                        new KeyedCoProcessOperator<>(ExchangesBehind.bestExecutions(0)),
                        new ExchangesBehind.QuoteMarket(),
                        new ExchangesBehind.BestMarket(),
                        Types.STRING)) {
            h.open();
            for (String exchange : new String[] {"kraken", "coinbase"}) {
                for (String side : new String[] {"buy", "sell"}) {
                    ExecutionQuote q =
                            new ExecutionQuote(
                                    W0,
                                    exchange,
                                    "BTC/USD",
                                    side,
                                    50_000,
                                    "kraken".equals(exchange),
                                    BigDecimal.TEN,
                                    BigDecimal.TEN,
                                    BigDecimal.ONE,
                                    BigDecimal.TEN,
                                    1,
                                    0,
                                    W0);
                    q.samples = 3;
                    q.expectedSamples = 3;
                    h.processElement1(new StreamRecord<>(q, END));
                }
            }
            h.processElement2(
                    new StreamRecord<>(
                            new BestExecution(
                                    W0, "BTC/USD", "buy", 50_000, "kraken", BigDecimal.TEN, 1),
                            END));
            h.processElement2(
                    new StreamRecord<>(
                            new BestExecution(
                                    W0, "BTC/USD", "sell", 50_000, "kraken", BigDecimal.TEN, 1),
                            END));
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(END));

            assertThat(h.extractOutputValues())
                    .extracting(
                            b ->
                                    b.side
                                            + " "
                                            + String.join(",", b.exchanges)
                                            + " "
                                            + b.exchangeSamples
                                            + " of "
                                            + b.expectedSamples)
                    .containsExactlyInAnyOrder(
                            "buy coinbase,kraken 6 of 6", "sell coinbase,kraken 6 of 6");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
