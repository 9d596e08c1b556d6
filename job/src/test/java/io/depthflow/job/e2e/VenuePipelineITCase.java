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
import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.testing.MiniClusters;
import io.depthflow.sources.venue.Venues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every registered venue end to end, in poll and in stream mode: the simulators speaking each
 * venue's REST and WebSocket wire formats with the faults that venue can show, the job in a
 * MiniCluster, the embedded ClickHouse, the BI views ranking every venue, compared with independent
 * calculations from the verbatim payloads ({@link IndependentCalculation} in poll mode; {@link
 * StreamReference} in stream mode, which checks Bitfinex's sequence and checksum on the wire texts
 * themselves). One job per mode runs all venues at once; what each venue is put through and must
 * show is {@link #pollFaults} / {@link #streamFaults} and the assertions on its rows.
 */
@ExtendWith(ClickHouseTestServer.class)
class VenuePipelineITCase {

    @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.loopbackTwoSlots();

    /** An hour ago, 10 s before a minute boundary (raw_order_books keeps 30 days: stay recent). */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L - 10_000L;

    private static final List<String> VENUES = Venues.names();

    enum Mode {
        POLL,
        STREAM
    }

    @TempDir Path dir;

    @BeforeEach
    void freshSchema() throws Exception {
        ClickHouseTestServer.resetSchema();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void shouldRunEveryVenueThroughItsFaultsAndMatchTheIndependentCalculation(Mode mode)
            throws Exception {
        if (mode == Mode.POLL) {
            poll();
        } else {
            stream();
        }
        assertThat(
                        ClickHouseTestServer.query(
                                        "SELECT DISTINCT exchange FROM mid_price_1m FINAL ORDER BY exchange")
                                .stream()
                                .map(r -> r.get(0)))
                .containsExactly("all", "bitfinex", "bitstamp", "coinbase", "gemini", "kraken");
        assertThat(
                        ClickHouseTestServer.query("SELECT count() FROM bi_best_execution_1m")
                                .get(0)
                                .get(0))
                .isNotEqualTo("0");
    }

    // ---- poll ---------------------------------------------------------------------------------

    /** REST faults per venue, and the ingest errors each must leave. */
    private static void pollFaults(ExchangeSimulator sim) {
        sim.injectFault("bitstamp", Fault.HTTP_500, 1);
        sim.injectFault("bitstamp", Fault.EXCHANGE_ERROR, 1);
        sim.injectFault("gemini", Fault.HTTP_429, 1);
        sim.injectFault("bitfinex", Fault.EXCHANGE_ERROR, 1);
        sim.injectFault("bitfinex", Fault.CROSSED_BOOK, 1);
    }

    private void poll() throws Exception {
        AcceleratedClock clock = new AcceleratedClock(START, 30);
        try (ExchangeSimulator sim = ExchangeSimulator.builder().clock(clock).seed(13).start()) {
            pollFaults(sim);
            RunOptions opts =
                    options(
                            List.of(),
                            "-url",
                            sim::baseUrl,
                            "--interval",
                            "15s",
                            "--duration",
                            "4m",
                            "--out-of-orderness",
                            "90s");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            PollWorkflow.build(
                    env,
                    opts,
                    JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()),
                    clock,
                    b -> {
                        VENUES.forEach(v -> b.setRateLimit(v, 50, 10));
                        b.setConnectTimeout(Duration.ofSeconds(2))
                                .setRequestTimeout(Duration.ofSeconds(2));
                    });
            env.execute("venues-poll-it");
        }

        assertThat(errorCounts())
                .containsEntry("bitstamp/http_status", 1L)
                .containsEntry("bitstamp/exchange_error", 1L)
                .containsEntry("gemini/http_status", 1L)
                .containsEntry("bitfinex/http_status", 1L)
                .containsEntry("bitfinex/crossed_book", 1L);

        List<String> lines = BiViews.rawCapture();
        IndependentCalculation expected =
                IndependentCalculation.of(lines, IndependentCalculation.jobDefaultNotionals());
        assertThat(expected.usableBooks).isGreaterThanOrEqualTo(30);
        BiViewsCheck.assertViewsMatch(expected);
    }

    // ---- stream -------------------------------------------------------------------------------

    /**
     * WebSocket faults per venue, each once the venue's feed is running: Bitstamp loses a whole
     * book (healed by the next) and is disconnected; Bitfinex gets a wrong checksum (resubscribe)
     * and loses a message (sequence gap, reconnect); Gemini is disconnected.
     */
    private static void streamFaults(StreamSimulator sim) throws InterruptedException {
        awaitTrue(
                () ->
                        sim.messagesSent("bitstamp") >= 100
                                && sim.messagesSent("bitfinex") >= 200
                                && sim.messagesSent("gemini") >= 50);
        sim.injectFault("bitstamp", StreamFault.DROP_MESSAGE);
        sim.injectFault("bitfinex", StreamFault.CORRUPT_CHECKSUM);
        long bitstamp = sim.messagesSent("bitstamp");
        long bitfinex = sim.messagesSent("bitfinex");
        awaitTrue(
                () ->
                        sim.messagesSent("bitstamp") >= bitstamp + 60
                                && sim.messagesSent("bitfinex") >= bitfinex + 200);
        // The reconnections run side by side, so that all fit in the job's run on a busy machine.
        sim.injectFault("bitstamp", StreamFault.DISCONNECT);
        sim.injectFault("bitfinex", StreamFault.DROP_MESSAGE);
        sim.injectFault("gemini", StreamFault.DISCONNECT);
        awaitTrue(
                () ->
                        sim.connectionsOpened("bitstamp") >= 2
                                && sim.connectionsOpened("bitfinex") >= 2
                                && sim.connectionsOpened("gemini") >= 2);
    }

    private void stream() throws Exception {
        Path capture = dir.resolve("job-raw.jsonl");
        AcceleratedClock clock = new AcceleratedClock(START, 60);
        try (StreamSimulator sim =
                StreamSimulator.builder().clock(clock).seed(7).messagesPerSecond(30).start()) {
            RunOptions opts =
                    options(
                            List.of("--mode", "stream"),
                            "-ws-url",
                            sim::url,
                            "--duration",
                            "10m",
                            "--stale-after",
                            "3s",
                            "--checkpoint-interval",
                            "2s");
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

            JobClient job = env.executeAsync("venues-stream-it");
            streamFaults(sim);
            job.getJobExecutionResult().get();
        }

        Map<String, Long> errors = errorCounts();
        assertThat(errors)
                .containsKey("bitstamp/disconnected")
                .containsEntry("bitfinex/checksum_mismatch", 1L)
                .containsKey("bitfinex/sequence_gap")
                .containsKey("gemini/disconnected");
        assertThat(errors.keySet().stream().filter(k -> k.startsWith("bitstamp/")))
                .as("a dropped whole-book message is no error: the next one replaces the book")
                .containsExactly("bitstamp/disconnected");

        Map<String, List<List<String>>> windows =
                ClickHouseTestServer.query(
                                "SELECT exchange, market, toUnixTimestamp64Milli(window_start), book_status FROM mid_price_1m FINAL"
                                        + " WHERE exchange != 'all' ORDER BY window_start")
                        .stream()
                        .collect(Collectors.groupingBy(r -> r.get(0) + "|" + r.get(1)));
        List<String> books = new ArrayList<>();
        VENUES.forEach(v -> books.addAll(List.of(v + "|BTC/USD", v + "|ETH/USD")));
        assertThat(windows).containsOnlyKeys(books);
        for (Map.Entry<String, List<List<String>>> book : windows.entrySet()) {
            List<Long> starts =
                    book.getValue().stream().map(r -> Long.parseLong(r.get(2))).toList();
            assertThat(starts).as(book.getKey()).hasSizeGreaterThanOrEqualTo(4);
            if (book.getKey().startsWith("bitstamp|")) {
                // whole books: no minute without a book, through the drop and the disconnect
                assertThat(starts.get(starts.size() - 1) - starts.get(0))
                        .isEqualTo((starts.size() - 1) * 60_000L);
            }
            assertThat(book.getValue().get(book.getValue().size() - 1).get(3))
                    .as(book.getKey() + " recovered")
                    .isEqualTo("ok");
        }

        List<RawMessage> raw = CaptureReader.readAll(capture);
        StreamReference reference =
                StreamReference.of(raw, IndependentCalculation.jobDefaultNotionals());
        Map<String, String> written = StreamReference.writtenQuotes();
        for (String venue : VENUES) {
            assertThat(written.keySet()).anyMatch(k -> k.startsWith(venue + "|"));
        }
        assertThat(reference.differencesFrom(written))
                .as("quotes that differ from the independent reference")
                .isEmpty();
        // $100k fills within Bitstamp's top 100 levels per side.
        assertThat(
                        written.entrySet().stream()
                                .filter(
                                        e ->
                                                e.getKey().startsWith("bitstamp|")
                                                        && e.getKey().endsWith("|100000"))
                                .map(Map.Entry::getValue))
                .isNotEmpty()
                .allMatch(v -> v.endsWith(" true"));
    }

    /**
     * {@code head}, every venue with its simulator address ({@code --<venue><urlFlag> URL}), {@code
     * tail}, and the test ClickHouse.
     */
    private static RunOptions options(
            List<String> head, String urlFlag, UnaryOperator<String> url, String... tail)
            throws Exception {
        List<String> args = new ArrayList<>(head);
        args.addAll(List.of("--exchanges", String.join(",", VENUES)));
        for (String venue : VENUES) {
            args.addAll(List.of("--" + venue + urlFlag, url.apply(venue)));
        }
        args.addAll(List.of(tail));
        args.addAll(List.of("--clickhouse-url", ClickHouseTestServer.jdbcUrl()));
        return RunOptions.parse(args.toArray(new String[0]));
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
