package io.depthflow.job.functions;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import io.depthflow.job.TestBooks;
import io.depthflow.job.errors.DeadLetters;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.OrderBookSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class MinuteBookAggregatorTest {

    private static final long W0 = 1_763_639_100_000L; // a minute boundary

    private static KeyedOneInputStreamOperatorTestHarness<String, OrderBookSnapshot, MidPrice>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MinuteBookAggregator(new long[] {50_000, 100_000})),
                new BookKey(),
                Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, OrderBookSnapshot, MidPrice>
            harness(long pollIntervalMs) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new MinuteBookAggregator(new long[] {50_000, 100_000}, pollIntervalMs)),
                new BookKey(),
                Types.STRING);
    }

    private static List<MidPrice> gaps(
            KeyedOneInputStreamOperatorTestHarness<String, OrderBookSnapshot, MidPrice> h) {
        return h.getSideOutput(MinuteBookAggregator.GAPS) == null
                ? List.of()
                : h.getSideOutput(MinuteBookAggregator.GAPS).stream()
                        .map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    private static List<IngestError> errors(
            KeyedOneInputStreamOperatorTestHarness<String, OrderBookSnapshot, MidPrice> h) {
        return h.getSideOutput(DeadLetters.TAG) == null
                ? List.of()
                : h.getSideOutput(DeadLetters.TAG).stream()
                        .map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    private static OrderBookSnapshot book(String exchange, long t, String bid, String ask) {
        return TestBooks.book(exchange, "BTC/USD", t)
                .bid(bid, "1")
                .bid("90", "1000")
                .ask(ask, "1")
                .ask("110", "1000")
                .build();
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, OrderBookSnapshot, MidPrice> h,
            OrderBookSnapshot b)
            throws Exception {
        h.processElement(new StreamRecord<>(b, b.receivedAt));
    }

    private static List<MidPrice> mids(
            KeyedOneInputStreamOperatorTestHarness<String, OrderBookSnapshot, MidPrice> h) {
        return h.extractOutputValues();
    }

    private static List<ExecutionQuote> quotes(
            KeyedOneInputStreamOperatorTestHarness<String, OrderBookSnapshot, MidPrice> h) {
        return h.getSideOutput(MinuteBookAggregator.QUOTES) == null
                ? List.of()
                : h.getSideOutput(MinuteBookAggregator.QUOTES).stream()
                        .map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    @Test
    void shouldEmitTheMeanMidAndQuotesOnTheLastBookWhenTheWatermarkPassesTheWindow()
            throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, book("kraken", W0 + 1_000, "100", "101")); // mid 100.5
            feed(h, book("kraken", W0 + 31_000, "100.2", "100.4")); // mid 100.3, last book
            feed(h, book("kraken", W0 + 61_000, "200", "201")); // next window
            h.processWatermark(W0 + 59_998);
            assertThat(mids(h)).isEmpty();
            h.processWatermark(W0 + 59_999);

            assertThat(mids(h)).hasSize(1);
            MidPrice m = mids(h).get(0);
            assertThat(m.windowStart).isEqualTo(W0);
            assertThat(m.exchange).isEqualTo("kraken");
            assertThat(m.mid).isEqualByComparingTo("100.4");
            assertThat(m.mid.scale()).isEqualTo(18);
            assertThat(m.samples).isEqualTo(2);
            assertThat(m.bestBid).isEqualByComparingTo("100.2");
            assertThat(m.bestAsk).isEqualByComparingTo("100.4");

            List<ExecutionQuote> q = quotes(h);
            assertThat(q)
                    .extracting(x -> x.side + x.notional)
                    .containsExactly("buy50000", "buy100000", "sell50000", "sell100000");
            ExecutionQuote buy50k = q.get(0);
            // 1 @ 100.4 then (50000 - 100.4) / 110 from the second level, on the window's last book
            BigDecimal base =
                    BigDecimal.ONE.add(
                            new BigDecimal("49899.6")
                                    .divide(
                                            new BigDecimal("110"),
                                            java.math.MathContext.DECIMAL128));
            assertThat(buy50k.complete).isTrue();
            assertThat(buy50k.levels).isEqualTo(2);
            assertThat(buy50k.baseQty)
                    .isEqualByComparingTo(base.setScale(18, java.math.RoundingMode.HALF_EVEN));
            assertThat(buy50k.avgPrice)
                    .isEqualByComparingTo(
                            new BigDecimal("50000")
                                    .divide(base, java.math.MathContext.DECIMAL128)
                                    .setScale(18, java.math.RoundingMode.HALF_EVEN));
            assertThat(buy50k.bookTime).isEqualTo(W0 + 31_000);
            ExecutionQuote sell100k = q.get(3);
            // bids hold 100.2 + 90,000 = 90,100.2 < 100,000: incomplete
            assertThat(sell100k.complete).isFalse();
            assertThat(sell100k.filledNotional).isEqualByComparingTo("90100.2");

            // the next window is still open; its state and the book's last minutes are all that is
            // left
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(W0 + 119_999);
            assertThat(mids(h)).hasSize(2);
            assertThat(mids(h).get(1).mid).isEqualByComparingTo("200.5");
            // two longs per book (the latest minute with data and the latest written, for gaps;
            // they expire after 30 days)
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldKeepExchangesApartByKey() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, book("kraken", W0 + 1_000, "100", "101"));
            feed(h, book("coinbase", W0 + 2_000, "102", "103"));
            h.processWatermark(W0 + 59_999);
            assertThat(mids(h))
                    .extracting(m -> m.exchange + "=" + m.mid.stripTrailingZeros().toPlainString())
                    .containsExactlyInAnyOrder("kraken=100.5", "coinbase=102.5");
        }
    }

    @Test
    void shouldSendLateSnapshotsToTheDeadLettersWithoutChangingEmittedWindows() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, book("kraken", W0 + 1_000, "100", "101"));
            h.processWatermark(W0 + 70_000);
            feed(h, book("kraken", W0 + 50_000, "500", "501")); // window W0 already emitted
            h.processWatermark(W0 + 200_000);

            assertThat(mids(h)).hasSize(1);
            assertThat(mids(h).get(0).mid).isEqualByComparingTo("100.5");
            List<IngestError> errors =
                    h.getSideOutput(DeadLetters.TAG).stream()
                            .map(StreamRecord::getValue)
                            .collect(Collectors.toList());
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).errorType).isEqualTo(IngestError.LATE);
            assertThat(errors.get(0).receivedAt).isEqualTo(W0 + 50_000);
            assertThat(errors.get(0).message).contains("arrived after its window");
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // the book's last minutes
        }
    }

    @Test
    void shouldRestoreOpenWindowsFromASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            feed(h, book("kraken", W0 + 1_000, "100", "101"));
            snapshot = h.snapshot(1L, W0 + 2_000);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            feed(h, book("kraken", W0 + 40_000, "102", "103"));
            h.processWatermark(W0 + 59_999);
            assertThat(mids(h)).hasSize(1);
            assertThat(mids(h).get(0).mid).isEqualByComparingTo("101.5"); // (100.5 + 102.5) / 2
            assertThat(mids(h).get(0).samples).isEqualTo(2);
            assertThat(mids(h).get(0).bestBid).isEqualByComparingTo("102");
        }
    }

    @Test
    void shouldCarryTheExpectedPollsAndMarkAMinuteWithFewerAsSuch() throws Exception {
        try (var h = harness(20_000)) {
            h.open();
            feed(h, book("kraken", W0 + 1_000, "100", "101"));
            feed(h, book("kraken", W0 + 21_000, "100", "101"));
            feed(h, book("kraken", W0 + 41_000, "100", "101"));
            feed(h, book("kraken", W0 + 61_000, "100", "101"));
            feed(h, book("kraken", W0 + 81_000, "100", "101")); // the poll at :41 failed
            h.processWatermark(W0 + 119_999);

            assertThat(mids(h))
                    .extracting(
                            m ->
                                    m.samples
                                            + " of "
                                            + m.expectedSamples
                                            + " "
                                            + String.join(",", m.exchanges)
                                            + " "
                                            + m.exchangeSamples)
                    .containsExactly("3 of 3 kraken 3", "2 of 3 kraken 2");
            assertThat(quotes(h))
                    .extracting(q -> q.samples + " of " + q.expectedSamples)
                    .containsExactly(
                            "3 of 3", "3 of 3", "3 of 3", "3 of 3", "2 of 3", "2 of 3", "2 of 3",
                            "2 of 3");
            assertThat(gaps(h)).isEmpty();
            assertThat(errors(h)).isEmpty();
        }
    }

    @Test
    void shouldRecordTheMinutesAfterARestoreWhenTheNextPollIsMinutesLater() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(20_000)) {
            h.open();
            feed(h, book("kraken", W0 + 1_000, "100", "101"));
            feed(h, book("kraken", W0 + 21_000, "100", "101"));
            snapshot = h.snapshot(1L, W0 + 22_000);
        }
        // the TaskManager was lost; the job restores the checkpoint 5 minutes later
        try (var h = harness(20_000)) {
            h.initializeState(snapshot);
            h.open();
            feed(h, book("kraken", W0 + 5 * 60_000 + 3_000, "102", "103"));
            h.processWatermark(W0 + 5 * 60_000 + 3_000);

            // the minute open at the checkpoint: 2 of 3 polls, marked by its own columns
            assertThat(mids(h))
                    .extracting(m -> m.windowStart + " " + m.samples + " of " + m.expectedSamples)
                    .containsExactly(W0 + " 2 of 3");
            // minutes 1..4: nothing observed, one row each, and one error row for the whole gap
            assertThat(gaps(h))
                    .extracting(
                            m ->
                                    (m.windowStart - W0) / 60_000
                                            + " "
                                            + m.exchange
                                            + " "
                                            + m.market
                                            + " "
                                            + m.samples
                                            + " "
                                            + m.bookStatus
                                            + " "
                                            + m.expectedSamples
                                            + " "
                                            + m.mid.signum())
                    .containsExactly(
                            "1 kraken BTC/USD 0 no_data 3 0",
                            "2 kraken BTC/USD 0 no_data 3 0",
                            "3 kraken BTC/USD 0 no_data 3 0",
                            "4 kraken BTC/USD 0 no_data 3 0");
            assertThat(errors(h))
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.errorType).isEqualTo(IngestError.GAP);
                                assertThat(e.exchange + " " + e.market).isEqualTo("kraken BTC/USD");
                                assertThat(e.receivedAt).isEqualTo(W0 + 60_000);
                                assertThat(e.message)
                                        .isEqualTo(
                                                "no data: no poll succeeded or the job was not running between"
                                                        + " 2025-11-20T11:46:00Z and 2025-11-20T11:50:00Z (4 minutes)");
                            });
        }
    }

    @Test
    void shouldRecordAMinuteInWhichEveryPollFailed() throws Exception {
        try (var h = harness(15_000)) {
            h.open();
            feed(h, book("coinbase", W0 + 50_000, "100", "101"));
            feed(h, book("coinbase", W0 + 125_000, "100", "101")); // nothing in minute 1
            feed(h, book("coinbase", W0 + 126_000, "100", "101"));
            h.processWatermark(W0 + 179_999);
            assertThat(gaps(h)).extracting(m -> m.windowStart).containsExactly(W0 + 60_000);
            assertThat(errors(h))
                    .extracting(e -> e.errorType + " " + e.receivedAt)
                    .containsExactly("gap " + (W0 + 60_000));
            assertThat(mids(h))
                    .extracting(m -> m.samples + " of " + m.expectedSamples)
                    .containsExactly("1 of 4", "2 of 4");
        }
    }

    @Test
    void shouldBoundTheRowsOfALongGapAndNotCountSilenceWithinAPollInterval() throws Exception {
        try (var h = harness(90_000)) { // one poll every 90 s: a minute without one is normal
            h.open();
            feed(h, book("kraken", W0 + 1_000, "100", "101"));
            feed(h, book("kraken", W0 + 91_000, "100", "101"));
            h.processWatermark(W0 + 119_999);
            assertThat(gaps(h)).isEmpty();
            assertThat(mids(h)).extracting(m -> m.expectedSamples).containsExactly(0, 0);
        }
        try (var h = harness(20_000)) {
            h.open();
            feed(h, book("kraken", W0 + 1_000, "100", "101"));
            feed(h, book("kraken", W0 + 3_001 * 60_000L, "100", "101")); // 3,000 minutes later
            assertThat(gaps(h)).hasSize(MinuteBookAggregator.MAX_GAP_ROWS);
            assertThat(gaps(h).get(MinuteBookAggregator.MAX_GAP_ROWS - 1).windowStart)
                    .isEqualTo(W0 + MinuteBookAggregator.MAX_GAP_ROWS * 60_000L);
            assertThat(errors(h))
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e.message)
                                            .endsWith(
                                                    "(3000 minutes; mid_price_1m has rows for the first 1440)"));
        }
    }

    @Test
    void shouldWriteTheMinutesOfAVenueWhosePollsAllFailAsTheyPassNotWhenItComesBack()
            throws Exception {
        try (var h = harness(20_000)) {
            h.open();
            feed(h, book("kraken", W0 + 1_000, "100", "101"));
            feed(h, book("coinbase", W0 + 2_000, "100", "101"));
            h.processWatermark(W0 + 59_999);
            // kraken's polls fail from now on; coinbase's (and the clock) move the watermark on
            feed(h, book("coinbase", W0 + 62_000, "100", "101"));
            feed(h, book("coinbase", W0 + 122_000, "100", "101"));
            h.processWatermark(W0 + 179_999);
            assertThat(gaps(h))
                    .extracting(
                            m ->
                                    m.exchange
                                            + " "
                                            + (m.windowStart - W0) / 60_000
                                            + " "
                                            + m.bookStatus)
                    .containsExactly("kraken 1 no_data", "kraken 2 no_data");
            assertThat(errors(h)).isEmpty(); // the gap's error row comes with its end

            feed(h, book("kraken", W0 + 181_000, "100", "101")); // kraken is back in minute 3
            feed(h, book("coinbase", W0 + 182_000, "100", "101"));
            h.processWatermark(W0 + 239_999);
            assertThat(gaps(h)).as("no minute twice").hasSize(2);
            assertThat(errors(h))
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e.message)
                                            .isEqualTo(
                                                    "no data: no poll succeeded or the job was not running between 2025-11-20T11:46:00Z"
                                                            + " and 2025-11-20T11:48:00Z (2 minutes)"));
            assertThat(mids(h))
                    .extracting(m -> m.exchange + " " + (m.windowStart - W0) / 60_000)
                    .containsExactlyInAnyOrder(
                            "kraken 0",
                            "coinbase 0",
                            "coinbase 1",
                            "coinbase 2",
                            "kraken 3",
                            "coinbase 3");

            // the end of a bounded input is not a gap
            h.processWatermark(Long.MAX_VALUE);
            assertThat(gaps(h)).hasSize(2);
        }
    }

    @Test
    void shouldExpectTheWholePollsOfAMinute() {
        assertThat(MinuteBookAggregator.expectedSamples(20_000)).isEqualTo(3);
        assertThat(MinuteBookAggregator.expectedSamples(7_000)).isEqualTo(8);
        assertThat(MinuteBookAggregator.expectedSamples(60_000)).isEqualTo(1);
        assertThat(MinuteBookAggregator.expectedSamples(90_000)).isZero();
        assertThat(MinuteBookAggregator.expectedSamples(0)).isZero();
    }
}
