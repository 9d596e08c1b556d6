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
 * Gemini and Bitfinex end to end with all five venues: the simulators speaking every venue's REST
 * and WebSocket wire formats (with Gemini's and Bitfinex's faults), the job in a MiniCluster in
 * poll and in stream mode, the embedded ClickHouse, the BI views ranking all five, compared with
 * independent calculations from the verbatim payloads ({@link IndependentCalculation}, {@link
 * StreamReference}, which check Bitfinex's sequence and checksum on the wire texts themselves).
 */
@ExtendWith(ClickHouseTestServer.class)
class GeminiBitfinexPipelineITCase {

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
    void shouldPollAllFiveVenuesAndRankThemInTheViews() throws Exception {
        AcceleratedClock clock = new AcceleratedClock(START, 30);
        try (ExchangeSimulator sim = ExchangeSimulator.builder().clock(clock).seed(13).start()) {
            sim.injectFault("gemini", Fault.HTTP_429, 1);
            sim.injectFault("bitfinex", Fault.EXCHANGE_ERROR, 1);
            sim.injectFault("bitfinex", Fault.CROSSED_BOOK, 1);
            RunOptions opts =
                    RunOptions.parse(
                            new String[] {
                                "--exchanges", "coinbase,kraken,bitstamp,gemini,bitfinex",
                                "--coinbase-url", sim.baseUrl("coinbase"),
                                "--kraken-url", sim.baseUrl("kraken"),
                                "--bitstamp-url", sim.baseUrl("bitstamp"),
                                "--gemini-url", sim.baseUrl("gemini"),
                                "--bitfinex-url", sim.baseUrl("bitfinex"),
                                "--interval", "15s",
                                "--duration", "4m",
                                "--out-of-orderness", "90s",
                                "--clickhouse-url", ClickHouseTestServer.jdbcUrl()
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
                                    .setRateLimit("gemini", 50, 10)
                                    .setRateLimit("bitfinex", 50, 10)
                                    .setConnectTimeout(Duration.ofSeconds(2))
                                    .setRequestTimeout(Duration.ofSeconds(2)));
            env.execute("five-venues-poll-it");
        }

        Map<String, Long> errors = errorCounts();
        assertThat(errors)
                .containsEntry("gemini/http_status", 1L)
                .containsEntry("bitfinex/http_status", 1L)
                .containsEntry("bitfinex/crossed_book", 1L);
        assertThat(
                        ClickHouseTestServer.query(
                                        "SELECT DISTINCT exchange FROM mid_price_1m FINAL ORDER BY exchange")
                                .stream()
                                .map(r -> r.get(0)))
                .containsExactly("all", "bitfinex", "bitstamp", "coinbase", "gemini", "kraken");

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
        assertThat(expected.usableBooks).isGreaterThanOrEqualTo(30);
        BiViewsCheck.assertViewsMatch(expected);
    }

    @Test
    void shouldStreamAllFiveVenuesThroughBitfinexsChecksumAndSequenceFaultsAndAGeminiDisconnect()
            throws Exception {
        Path capture = dir.resolve("job-raw.jsonl");
        AcceleratedClock clock = new AcceleratedClock(START, 60);
        try (StreamSimulator sim =
                StreamSimulator.builder().clock(clock).seed(7).messagesPerSecond(30).start()) {
            RunOptions opts =
                    RunOptions.parse(
                            new String[] {
                                "--mode", "stream",
                                "--exchanges", "coinbase,kraken,bitstamp,gemini,bitfinex",
                                "--kraken-ws-url", sim.url("kraken"),
                                "--coinbase-ws-url", sim.url("coinbase"),
                                "--bitstamp-ws-url", sim.url("bitstamp"),
                                "--gemini-ws-url", sim.url("gemini"),
                                "--bitfinex-ws-url", sim.url("bitfinex"),
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

            JobClient job = env.executeAsync("five-venues-stream-it");
            awaitTrue(
                    () -> sim.messagesSent("bitfinex") >= 200 && sim.messagesSent("gemini") >= 50);
            sim.injectFault("bitfinex", StreamFault.CORRUPT_CHECKSUM);
            long sent = sim.messagesSent("bitfinex");
            awaitTrue(() -> sim.messagesSent("bitfinex") >= sent + 200);
            sim.injectFault("bitfinex", StreamFault.DROP_MESSAGE);
            awaitTrue(() -> sim.connectionsOpened("bitfinex") >= 2);
            sim.injectFault("gemini", StreamFault.DISCONNECT);
            awaitTrue(() -> sim.connectionsOpened("gemini") >= 2);
            job.getJobExecutionResult().get();
        }

        Map<String, Long> errors = errorCounts();
        assertThat(errors)
                .containsEntry("bitfinex/checksum_mismatch", 1L)
                .containsKey("bitfinex/sequence_gap")
                .containsKey("gemini/disconnected");

        Map<String, List<List<String>>> windows =
                ClickHouseTestServer.query(
                                "SELECT exchange, market, toUnixTimestamp64Milli(window_start), book_status FROM mid_price_1m FINAL"
                                        + " WHERE exchange IN ('gemini', 'bitfinex') ORDER BY window_start")
                        .stream()
                        .collect(Collectors.groupingBy(r -> r.get(0) + "|" + r.get(1)));
        assertThat(windows)
                .containsOnlyKeys(
                        "gemini|BTC/USD", "gemini|ETH/USD", "bitfinex|BTC/USD", "bitfinex|ETH/USD");
        for (Map.Entry<String, List<List<String>>> book : windows.entrySet()) {
            List<Long> starts =
                    book.getValue().stream().map(r -> Long.parseLong(r.get(2))).toList();
            assertThat(starts).as(book.getKey()).hasSizeGreaterThanOrEqualTo(4);
            assertThat(book.getValue().get(book.getValue().size() - 1).get(3))
                    .as(book.getKey() + " recovered")
                    .isEqualTo("ok");
        }
        assertThat(
                        ClickHouseTestServer.query(
                                        "SELECT DISTINCT exchange FROM mid_price_1m FINAL ORDER BY exchange")
                                .stream()
                                .map(r -> r.get(0)))
                .containsExactly("all", "bitfinex", "bitstamp", "coinbase", "gemini", "kraken");

        List<RawMessage> raw = CaptureReader.readAll(capture);
        StreamReference reference =
                StreamReference.of(raw, IndependentCalculation.jobDefaultNotionals());
        Map<String, String> written = new HashMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(window_start), side, notional, toString(avg_price), complete"
                                + " FROM execution_quotes_1m FINAL WHERE exchange IN ('gemini', 'bitfinex')")) {
            written.put(
                    r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3) + "|" + r.get(4),
                    new BigDecimal(r.get(5)).stripTrailingZeros().toPlainString() + " " + r.get(6));
        }
        assertThat(written.keySet())
                .anyMatch(k -> k.startsWith("gemini|"))
                .anyMatch(k -> k.startsWith("bitfinex|"));
        Map<String, String> differences = new TreeMap<>();
        reference
                .quotes()
                .forEach(
                        (k, v) -> {
                            if ((k.startsWith("gemini|") || k.startsWith("bitfinex|"))
                                    && !v.equals(written.get(k))) {
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
                .as("Gemini and Bitfinex quotes that differ from the independent reference")
                .isEmpty();
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
