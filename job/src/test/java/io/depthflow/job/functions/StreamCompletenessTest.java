package io.depthflow.job.functions;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import io.depthflow.job.stream.Decoded;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.ws.BookEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream mode's completeness fields: each window's mid names its exchange and usable time, and each
 * quote carries the usable time of its window (what the row's version ranks by).
 */
class StreamCompletenessTest {

    private static final long START = 1_795_175_130_000L; // 30 s into a minute

    @Test
    void shouldCarryEachWindowsUsableTimeOnItsMidAndQuotes() throws Exception {
        List<RawMessage> script =
                StreamScript.builder()
                        .seed(31)
                        .start(START)
                        .stepMillis(250)
                        .updates(1_000)
                        .build()
                        .messages();
        List<BookEvent> input = Decoded.events(script, new ArrayList<>());
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<String, BookEvent, MidPrice>(
                        new KeyedProcessOperator<>(new BookBuilder(new long[] {50_000})),
                        new StreamKey(),
                        Types.STRING)) {
            h.open();
            long wm = Long.MIN_VALUE;
            for (BookEvent m : input) {
                h.processElement(new StreamRecord<>(m, m.receivedAt));
                if (m.receivedAt - 5_000 > wm) {
                    wm = m.receivedAt - 5_000;
                    h.processWatermark(wm);
                }
            }
            h.processWatermark(Long.MAX_VALUE);

            Map<String, MidPrice> mids = new HashMap<>();
            for (MidPrice m : h.extractOutputValues()) {
                assertThat(m.exchanges).as("%s", m).containsExactly(m.exchange);
                assertThat(m.exchangeSamples).as("%s", m).isEqualTo(m.samples);
                assertThat(m.expectedSamples).as("stream mode has no expected polls").isZero();
                mids.put(m.exchange + "|" + m.market + "|" + m.windowStart, m);
            }
            // the first window (from :30, before the snapshot) is short; full minutes are 60 s
            assertThat(mids.values()).anySatisfy(m -> assertThat(m.goodMs).isEqualTo(60_000));
            assertThat(mids.values()).anySatisfy(m -> assertThat(m.goodMs).isBetween(1L, 59_999L));
            List<ExecutionQuote> quotes = new ArrayList<>();
            h.getSideOutput(BookBuilder.QUOTES).forEach(r -> quotes.add(r.getValue()));
            assertThat(quotes)
                    .isNotEmpty()
                    .allSatisfy(
                            q -> {
                                MidPrice m =
                                        mids.get(q.exchange + "|" + q.market + "|" + q.windowStart);
                                assertThat(q.goodMs).as("%s", q).isEqualTo(m.goodMs).isPositive();
                                assertThat(q.samples).as("%s", q).isEqualTo(Math.max(1, m.samples));
                            });
        }
    }
}
