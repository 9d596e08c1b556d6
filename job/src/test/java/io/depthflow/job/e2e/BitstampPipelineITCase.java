package io.depthflow.job.e2e;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.Outputs;
import io.depthflow.job.PollWorkflow;
import io.depthflow.job.StreamWorkflow;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.testing.MiniClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bitstamp, the first venue added as a plug-in, end to end next to Coinbase and Kraken: the
 * simulator speaking Bitstamp's REST and WebSocket wire formats (with faults), the job in a
 * MiniCluster in poll and in stream mode, the embedded ClickHouse, the BI views, compared with
 * independent calculations from the verbatim payloads.
 */
@ExtendWith(ClickHouseTestServer.class)
class BitstampPipelineITCase {

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
    void shouldPollBitstampWithTheOtherVenuesAndRankAllThreeInTheViews() throws Exception {
        AcceleratedClock clock = new AcceleratedClock(START, 30);
        try (ExchangeSimulator sim = ExchangeSimulator.builder().clock(clock).seed(11).start()) {
            sim.injectFault("bitstamp", Fault.HTTP_500, 1);
            sim.injectFault("bitstamp", Fault.EXCHANGE_ERROR, 1);
            RunOptions opts =
                    RunOptions.parse(
                            new String[] {
                                "--exchanges",
                                "coinbase,kraken,bitstamp",
                                "--coinbase-url",
                                sim.baseUrl("coinbase"),
                                "--kraken-url",
                                sim.baseUrl("kraken"),
                                "--bitstamp-url",
                                sim.baseUrl("bitstamp"),
                                "--interval",
                                "15s",
                                "--duration",
                                "4m",
                                "--out-of-orderness",
                                "90s",
                                "--clickhouse-url",
                                ClickHouseTestServer.jdbcUrl()
                            });
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            PollWorkflow.build(
                    env,
                    opts,
                    JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()),
                    clock,
                    b ->
                            b.setRateLimit("kraken", 50, 10)
                                    .setRateLimit("coinbase", 50, 10)
                                    .setRateLimit("bitstamp", 50, 10)
                                    .setConnectTimeout(Duration.ofSeconds(2))
                                    .setRequestTimeout(Duration.ofSeconds(2)));
            env.execute("bitstamp-poll-it");
        }

        Map<String, Long> errors = errorCounts();
        assertThat(errors)
                .containsEntry("bitstamp/http_status", 1L)
                .containsEntry("bitstamp/exchange_error", 1L);
        assertThat(
                        ClickHouseTestServer.query(
                                        "SELECT DISTINCT exchange FROM mid_price_1m FINAL ORDER BY exchange")
                                .stream()
                                .map(r -> r.get(0)))
                .containsExactly("all", "bitstamp", "coinbase", "kraken");

        List<String> lines = new ArrayList<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(received_at), http_status, payload FROM raw_order_books FINAL"
                                + " WHERE (exchange, market, received_at) NOT IN"
                                + " (SELECT exchange, market, received_at FROM ingest_errors FINAL WHERE error_type = 'late')"
                                + " ORDER BY received_at")) {
            lines.add(
                    CaptureFormat.encode(
                            RawMessage.restResponse(
                                    r.get(0),
                                    r.get(1),
                                    Long.parseLong(r.get(2)),
                                    Integer.parseInt(r.get(3)),
                                    r.get(4))));
        }
        IndependentCalculation expected =
                IndependentCalculation.of(lines, IndependentCalculation.jobDefaultNotionals());
        assertThat(expected.usableBooks).isGreaterThanOrEqualTo(18);
        BiViewsCheck.assertViewsMatch(expected);
    }

    @Test
    void shouldStreamBitstampWholeBooksThroughDroppedMessagesAndADisconnect() throws Exception {
        Path capture = dir.resolve("job-raw.jsonl");
        AcceleratedClock clock = new AcceleratedClock(START, 60);
        try (StreamSimulator sim =
                StreamSimulator.builder().clock(clock).seed(5).messagesPerSecond(30).start()) {
            RunOptions opts =
                    RunOptions.parse(
                            new String[] {
                                "--mode", "stream",
                                "--exchanges", "coinbase,kraken,bitstamp",
                                "--kraken-ws-url", sim.url("kraken"),
                                "--coinbase-ws-url", sim.url("coinbase"),
                                "--bitstamp-ws-url", sim.url("bitstamp"),
                                "--duration", "8m",
                                "--stale-after", "3s",
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
                            f -> f.withBackoff(Duration.ofMillis(1_500), Duration.ofSeconds(3)));
            outputs.raw()
                    .sinkTo(new StreamPipelineITCase.CaptureSink(capture.toString()))
                    .uid("test-capture")
                    .name("Test capture")
                    .setParallelism(1);

            JobClient job = env.executeAsync("bitstamp-stream-it");
            awaitTrue(() -> sim.messagesSent("bitstamp") >= 100);
            sim.injectFault("bitstamp", StreamFault.DROP_MESSAGE);
            long sent = sim.messagesSent("bitstamp");
            awaitTrue(() -> sim.messagesSent("bitstamp") >= sent + 60);
            sim.injectFault("bitstamp", StreamFault.DISCONNECT);
            awaitTrue(() -> sim.connectionsOpened("bitstamp") >= 2);
            job.getJobExecutionResult().get();
        }

        Map<String, Long> errors = errorCounts();
        assertThat(errors).containsKey("bitstamp/disconnected");
        assertThat(errors.keySet().stream().filter(k -> k.startsWith("bitstamp/")))
                .as("a dropped whole-book message is no error: the next one replaces the book")
                .containsExactly("bitstamp/disconnected");

        Map<String, List<List<String>>> windows =
                ClickHouseTestServer.query(
                                "SELECT exchange, market, toUnixTimestamp64Milli(window_start), book_status FROM mid_price_1m FINAL"
                                        + " WHERE exchange = 'bitstamp' ORDER BY window_start")
                        .stream()
                        .collect(Collectors.groupingBy(r -> r.get(0) + "|" + r.get(1)));
        assertThat(windows).containsOnlyKeys("bitstamp|BTC/USD", "bitstamp|ETH/USD");
        for (Map.Entry<String, List<List<String>>> book : windows.entrySet()) {
            List<Long> starts =
                    book.getValue().stream().map(r -> Long.parseLong(r.get(2))).toList();
            assertThat(starts).as(book.getKey()).hasSizeGreaterThanOrEqualTo(4);
            assertThat(starts.get(starts.size() - 1) - starts.get(0))
                    .isEqualTo((starts.size() - 1) * 60_000L);
            assertThat(book.getValue().get(book.getValue().size() - 1).get(3))
                    .as(book.getKey() + " recovered")
                    .isEqualTo("ok");
        }

        List<RawMessage> raw = CaptureReader.readAll(capture);
        StreamReference reference =
                StreamReference.of(raw, IndependentCalculation.jobDefaultNotionals());
        Map<String, String> written = new HashMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(window_start), side, notional, toString(avg_price), complete"
                                + " FROM execution_quotes_1m FINAL WHERE exchange = 'bitstamp'")) {
            written.put(
                    r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3) + "|" + r.get(4),
                    new BigDecimal(r.get(5)).stripTrailingZeros().toPlainString() + " " + r.get(6));
        }
        assertThat(written).isNotEmpty();
        Map<String, String> differences = new TreeMap<>();
        reference
                .quotes()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith("bitstamp|") && !v.equals(written.get(k))) {
                                differences.put(k, "expected " + v + ", written " + written.get(k));
                            }
                        });
        written.forEach(
                (k, v) -> {
                    if (!reference.quotes().containsKey(k)) {
                        differences.put(
                                k, "written " + v + " where the reference book was not known-good");
                    }
                });
        assertThat(differences)
                .as("Bitstamp quotes that differ from the independent reference")
                .isEmpty();
        // $100k fills within Bitstamp's top 100 levels per side.
        assertThat(
                        written.entrySet().stream()
                                .filter(e -> e.getKey().endsWith("|100000"))
                                .map(Map.Entry::getValue))
                .isNotEmpty()
                .allMatch(v -> v.endsWith(" true"));
        assertThat(
                        ClickHouseTestServer.query("SELECT count() FROM bi_best_execution_1m")
                                .get(0)
                                .get(0))
                .isNotEqualTo("0");
    }

    private static Map<String, Long> errorCounts() throws Exception {
        return ClickHouseTestServer.query(
                        "SELECT exchange, error_type, count() FROM ingest_errors FINAL GROUP BY exchange, error_type")
                .stream()
                .collect(
                        Collectors.toMap(
                                r -> r.get(0) + "/" + r.get(1), r -> Long.parseLong(r.get(2))));
    }

    /** Polls {@code condition} every 20 ms for up to 60 s. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(20);
        }
    }
}
