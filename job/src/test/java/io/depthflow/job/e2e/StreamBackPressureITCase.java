package io.depthflow.job.e2e;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import io.depthflow.job.StreamWorkflow;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.testing.MiniClusters;
import io.depthflow.sources.ws.FeedSettings;
import io.depthflow.sources.ws.WsBookSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream mode's live source under back-pressure, in a real MiniCluster on the real WebSocket
 * simulator: the operator after the source stops taking records for a few seconds (a gate the test
 * holds closed), so messages wait in the source's queues while the clock moves on. Then it takes
 * them all. No record may reach it behind the watermark (it would be applied to a window that was
 * already closed on a stale book), and the watermark must still advance.
 */
class StreamBackPressureITCase {

    @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.loopbackTwoSlots();

    static final CountDownLatch GATE = new CountDownLatch(1);
    static volatile boolean blocked;

    @Test
    void shouldHandOverNoQueuedMessageBehindTheWatermarkWhileTheJobIsBackPressured()
            throws Exception {
        SourceClock clock = SourceClock.system();
        try (StreamSimulator sim =
                StreamSimulator.builder().seed(11).messagesPerSecond(200).start()) {
            WsBookSource source =
                    WsBookSource.builder()
                            .setClock(clock)
                            .addFeed(
                                    FeedSettings.of(
                                            "kraken", sim.url("kraken"), List.of("BTC/USD")))
                            .addFeed(
                                    FeedSettings.of(
                                            "coinbase", sim.url("coinbase"), List.of("BTC/USD")))
                            .setQueueCapacity(64)
                            .setDuration(Duration.ofSeconds(8))
                            .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            CloseableIterator<long[]> seen =
                    StreamWorkflow.liveSource(env, source)
                            .process(new GatedProbe())
                            .uid("test-probe")
                            .name("Gated probe")
                            .collectAsync();
            JobClient job = env.executeAsync("stream-back-pressure-it");

            long deadline = System.currentTimeMillis() + 60_000;
            while (!blocked && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(blocked).as("the probe got a first record").isTrue();
            // Held for two seconds of the feeds (400 Kraken messages), four times the bound.
            long sentWhenBlocked = sim.messagesSent("kraken");
            while (sim.messagesSent("kraken") < sentWhenBlocked + 400
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            GATE.countDown();

            List<long[]> records = new ArrayList<>();
            seen.forEachRemaining(records::add);
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);

            assertThat(records).hasSizeGreaterThan(800);
            // only the feeds' messages and connection events leave the source (no progress markers)
            assertThat(records).allMatch(r -> r[2] == 1);
            List<String> behind = new ArrayList<>();
            for (long[] r : records) {
                if (r[0] <= r[1]) {
                    behind.add("record at " + r[0] + " behind watermark " + r[1]);
                }
            }
            assertThat(behind).as("records handed over behind the watermark").isEmpty();
            // The watermark did follow the records (not held back for ever): before the last
            // record,
            // it passed the time of the first record after the gate opened.
            long firstAfterGate = records.get(1)[0];
            long lastWatermark = records.get(records.size() - 1)[1];
            assertThat(lastWatermark).isGreaterThan(firstAfterGate + 2_000);
        }
    }

    /**
     * Passes on (record time, watermark when it arrived, 1 for a WebSocket message or event);
     * blocks at its first record until the gate opens.
     */
    static final class GatedProbe extends ProcessFunction<RawMessage, long[]> {
        private boolean first = true;

        @Override
        public void processElement(RawMessage m, Context ctx, Collector<long[]> out)
                throws Exception {
            if (first) {
                first = false;
                blocked = true;
                if (!GATE.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate never opened");
                }
            }
            boolean message =
                    RawMessage.KIND_WS.equals(m.kind) || RawMessage.KIND_WS_EVENT.equals(m.kind);
            out.collect(
                    new long[] {
                        ctx.timestamp(), ctx.timerService().currentWatermark(), message ? 1 : 0
                    });
        }
    }
}
