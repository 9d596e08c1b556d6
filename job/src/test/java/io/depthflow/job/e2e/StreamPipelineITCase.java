package io.depthflow.job.e2e;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.Outputs;
import io.depthflow.job.StreamWorkflow;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.capture.CaptureWriter;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.testing.MiniClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole stream mode over real WebSockets and into the real ClickHouse engine: the simulator's
 * Kraken and Coinbase feeds (accelerated clock: one real second is a minute of event time), the
 * FLIP-27 WebSocket source, the job in a MiniCluster, the sinks, the BI views; with a corrupted
 * Kraken checksum, a dropped Coinbase message, a Kraken disconnect and a stale Coinbase feed
 * injected while it runs. The job's own raw stream is captured too, and an independent reference
 * (BigDecimal TreeMap books, the checksum guide's string algorithm, BookWalker) rebuilds every book
 * at every window end from it: every quote the job wrote must equal the reference's, and there must
 * be none where the reference book was not known-good.
 */
@ExtendWith(ClickHouseTestServer.class)
class StreamPipelineITCase {

    @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.loopbackTwoSlots();

    /** An hour ago, 10 s before a minute boundary (raw_order_books keeps 30 days: stay recent). */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L - 10_000L;

    @TempDir Path dir;

    @BeforeEach
    void freshSchema() throws Exception {
        ClickHouseTestServer.resetSchema();
    }

    @Test
    void shouldRecoverFromEveryInjectedFaultAndWriteNoQuoteFromABookThatWasNotKnownGood()
            throws Exception {
        Path capture = dir.resolve("job-raw.jsonl");
        AcceleratedClock clock = new AcceleratedClock(START, 60);
        try (StreamSimulator sim =
                StreamSimulator.builder()
                        .clock(clock)
                        .seed(5)
                        .messagesPerSecond(30)
                        .staleFor(Duration.ofSeconds(3))
                        .start()) {
            RunOptions opts =
                    RunOptions.parse(
                            new String[] {
                                "--mode", "stream",
                                "--kraken-ws-url", sim.url("kraken"),
                                "--coinbase-ws-url", sim.url("coinbase"),
                                "--kraken-depth", "25",
                                "--duration", "15m",
                                "--out-of-orderness", "30s",
                                "--stale-after", "1500ms",
                                "--checkpoint-interval", "2s",
                                "--clickhouse-url", ClickHouseTestServer.jdbcUrl()
                            });
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            Outputs outputs =
                    StreamWorkflow.build(
                            env,
                            opts,
                            JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()),
                            clock,
                            // Reconnects take 0.75 to 1.5 real seconds, more than a minute of event
                            // time:
                            // some windows end while a book is down, and must get no quote.
                            f -> f.withBackoff(Duration.ofMillis(1_500), Duration.ofSeconds(3)));
            outputs.raw()
                    .sinkTo(new CaptureSink(capture.toString()))
                    .uid("test-capture")
                    .name("Test capture")
                    .setParallelism(1);

            JobClient job = env.executeAsync("stream-pipeline-it");
            // Faults once both feeds flow into the job, most of a minute of event time apart.
            long deadline = System.currentTimeMillis() + 60_000;
            while ((sim.messagesSent("kraken") < 120 || sim.messagesSent("coinbase") < 120)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            sim.injectFault("kraken", StreamFault.CORRUPT_CHECKSUM);
            Thread.sleep(900);
            sim.injectFault("coinbase", StreamFault.DROP_MESSAGE);
            Thread.sleep(900);
            sim.injectFault("kraken", StreamFault.DISCONNECT);
            Thread.sleep(900);
            sim.injectFault("coinbase", StreamFault.STALE);
            job.getJobExecutionResult().get();
        }

        // Every fault is recorded, with its reason and the message that showed it.
        Map<String, Long> errors =
                ClickHouseTestServer.query(
                                "SELECT exchange, error_type, count() FROM ingest_errors FINAL GROUP BY exchange, error_type")
                        .stream()
                        .collect(
                                Collectors.toMap(
                                        r -> r.get(0) + "/" + r.get(1),
                                        r -> Long.parseLong(r.get(2))));
        assertThat(errors)
                .containsKeys(
                        "kraken/checksum_mismatch",
                        "coinbase/sequence_gap",
                        "kraken/disconnected",
                        "coinbase/stale_feed");
        assertThat(
                        ClickHouseTestServer.query(
                                        "SELECT payload FROM ingest_errors FINAL WHERE error_type = 'checksum_mismatch'")
                                .get(0)
                                .get(0))
                .startsWith("{\"channel\":\"book\",\"type\":\"update\"");

        // Windows: none lost, none twice, per book; the faults flag their windows, the books
        // recover.
        Map<String, List<List<String>>> windows =
                ClickHouseTestServer.query(
                                "SELECT exchange, market, toUnixTimestamp64Milli(window_start), book_status, samples FROM mid_price_1m FINAL"
                                        + " WHERE exchange != 'all' ORDER BY window_start")
                        .stream()
                        .collect(Collectors.groupingBy(r -> r.get(0) + "|" + r.get(1)));
        assertThat(windows).hasSize(4);
        for (Map.Entry<String, List<List<String>>> book : windows.entrySet()) {
            List<Long> starts =
                    book.getValue().stream().map(r -> Long.parseLong(r.get(2))).toList();
            assertThat(starts).as(book.getKey()).hasSizeGreaterThanOrEqualTo(5);
            assertThat(starts.get(starts.size() - 1) - starts.get(0))
                    .isEqualTo((starts.size() - 1) * 60_000L);
            assertThat(book.getValue().get(book.getValue().size() - 1).get(3))
                    .as(book.getKey() + " recovered")
                    .isEqualTo("ok");
        }
        assertThat(
                        ClickHouseTestServer.query(
                                        "SELECT DISTINCT book_status FROM mid_price_1m FINAL")
                                .stream()
                                .map(r -> r.get(0)))
                .contains("ok", "checksum_mismatch", "sequence_gap", "disconnected", "stale_feed");
        assertThat(
                        ClickHouseTestServer.query("SELECT count() FROM bi_best_execution_1m")
                                .get(0)
                                .get(0))
                .isNotEqualTo("0");

        // No wrong quote: each quote equals the independent reference's, none where it was not
        // known-good.
        List<RawMessage> raw = CaptureReader.readAll(capture);
        StreamReference reference =
                StreamReference.of(raw, IndependentCalculation.jobDefaultNotionals());
        Map<String, String> written = StreamReference.writtenQuotes();
        assertThat(written).isNotEmpty();
        assertThat(reference.differencesFrom(written))
                .as("quotes that differ from the independent reference")
                .isEmpty();
        assertThat(reference.windowsWithoutGoodBook()).isPositive();
    }

    /** Appends the stream to a capture file (test only; one writer). */
    static final class CaptureSink implements Sink<RawMessage> {
        private static final long serialVersionUID = 1L;
        private final String path;

        CaptureSink(String path) {
            this.path = path;
        }

        @Override
        public SinkWriter<RawMessage> createWriter(WriterInitContext context) throws IOException {
            CaptureWriter writer = CaptureWriter.append(Path.of(path));
            return new SinkWriter<>() {
                @Override
                public void write(RawMessage element, Context ctx) throws IOException {
                    writer.write(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() throws IOException {
                    writer.close();
                }
            };
        }
    }
}
