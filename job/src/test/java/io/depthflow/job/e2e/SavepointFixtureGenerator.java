package io.depthflow.job.e2e;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.PollWorkflow;
import io.depthflow.job.functions.MinuteBookAggregator;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.testing.LoopbackFlink;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.ExchangeSimulator;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Writes a savepoint fixture of the current release for {@link SavepointCompatibilityITCase}: the
 * real job (the same {@link PollWorkflow#build} as {@code bin/depthflow run} and the cluster entry
 * point), polling the exchange simulator on a fast clock into the embedded ClickHouse in a local
 * Flink mini cluster, stopped with a canonical savepoint (hashmap state backend, parallelism 2, max
 * parallelism 128) in the middle of a minute. The savepoint therefore holds real state of the real
 * operators under their uids: the poll source's splits and enumerator, the minute-aggregator's open
 * windows ({@code MapState<Long, MinuteAccumulator>} and their timers), the cross-exchange SQL
 * operators, the sinks.
 *
 * <p>Output, in the directory given as the only argument (which must not hold a fixture yet):
 *
 * <ul>
 *   <li>{@code savepoint/}: the savepoint, relocatable (relative file references);
 *   <li>{@code window-inputs.jsonl}: capture lines of every response the open minute received (from
 *       the bronze table), from which the test recomputes the saved accumulators;
 *   <li>{@code fixture.properties}: versions, the open minute, the settings of the run.
 * </ul>
 *
 * <p>Run it for a release (it takes about a minute and needs the ClickHouse engine, as the tests
 * do): {@code ./mvnw -B -pl job -am test-compile -Psavepoint-fixture
 * [-Dsavepoint.fixture.release=0.1.0]}. Commit the new directory next to the older ones; never
 * regenerate a released version's fixture.
 */
public final class SavepointFixtureGenerator {

    /** Event time starts here (the clock reads it when the generator starts). */
    static final Instant START = Instant.parse("2026-11-20T12:00:00Z");

    static final int SPEED = 10;
    static final String[] NOTIONALS = {"50000", "100000"};

    private SavepointFixtureGenerator() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SavepointFixtureGenerator OUTPUT_DIR");
            System.exit(2);
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        if (Files.exists(out.resolve("savepoint"))) {
            // a released version's fixture stands for its users' savepoints: replacing it is
            // deliberate
            System.err.println(
                    out
                            + " already holds a savepoint fixture; delete the directory first to replace it");
            System.exit(1);
        }
        Path work = Files.createTempDirectory("depthflow-savepoint-fixture-");
        ClickHouseTestServer.resetSchema();

        AcceleratedClock clock = new AcceleratedClock(START.toEpochMilli(), SPEED);
        String savepoint;
        long stoppedAt;
        try (ExchangeSimulator sim = ExchangeSimulator.builder().clock(clock).seed(2026).start()) {
            RunOptions opts =
                    RunOptions.parse(
                            new String[] {
                                "--coinbase-url",
                                sim.baseUrl("coinbase"),
                                "--kraken-url",
                                sim.baseUrl("kraken"),
                                "--interval",
                                "10s",
                                "--duration",
                                "10m",
                                "--out-of-orderness",
                                "5s",
                                "--checkpoint-interval",
                                "1s",
                                "--notionals",
                                String.join(",", NOTIONALS),
                                "--clickhouse-url",
                                ClickHouseTestServer.jdbcUrl()
                            });
            Configuration conf = LoopbackFlink.loopbackOnly(new Configuration());
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(conf);
            PollWorkflow.build(
                    env,
                    opts,
                    JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()),
                    clock,
                    b -> b.setRateLimit("kraken", 50, 10).setRateLimit("coinbase", 50, 10));
            JobClient job = env.executeAsync("depthflow-savepoint-fixture");

            // a few minutes written, then stop 15-25 s into a minute: its window is open, with the
            // polls of :00 and :10 in it
            awaitWindows(3);
            long now = clock.currentTimeMillis();
            long into = Math.floorMod(now, MinuteBookAggregator.WINDOW_MS);
            if (into < 15_000 || into >= 25_000) {
                Thread.sleep(
                        clock.toRealMillis(
                                Math.floorMod(15_000 - into, MinuteBookAggregator.WINDOW_MS)));
            }
            stoppedAt = clock.currentTimeMillis();
            savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    work.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(2, TimeUnit.MINUTES);
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        }

        long openWindow = MinuteBookAggregator.windowStart(stoppedAt);
        List<String> inputs = responsesSince(openWindow);
        if (inputs.size() < 4) {
            throw new IllegalStateException(
                    "expected polls of every book in the open minute, got " + inputs);
        }
        if (!ClickHouseTestServer.query(
                        "SELECT 1 FROM mid_price_1m WHERE toUnixTimestamp64Milli(window_start) >= "
                                + openWindow)
                .isEmpty()) {
            throw new IllegalStateException("the open minute was written before the savepoint");
        }

        Files.createDirectories(out);
        copyRecursively(Path.of(URI.create(savepoint)), out.resolve("savepoint"));
        Files.write(out.resolve("window-inputs.jsonl"), inputs, StandardCharsets.UTF_8);
        Files.writeString(
                out.resolve("fixture.properties"),
                String.join(
                        "\n",
                        "# Written by "
                                + SavepointFixtureGenerator.class.getName()
                                + "; see savepoints/README.md",
                        "depthflow.version=" + release(out),
                        "flink.version="
                                + org.apache.flink.runtime.util.EnvironmentInformation.getVersion(),
                        "state.backend=hashmap",
                        "savepoint.format=CANONICAL",
                        "parallelism=2",
                        "max.parallelism=" + JobEnvironment.MAX_PARALLELISM,
                        "notionals=" + String.join(",", NOTIONALS),
                        "open.window.start=" + openWindow,
                        "open.window.start.utc=" + Instant.ofEpochMilli(openWindow),
                        "stopped.at.utc=" + Instant.ofEpochMilli(stoppedAt),
                        "responses.in.open.window=" + inputs.size(),
                        ""),
                StandardCharsets.UTF_8);
        deleteRecursively(work);
        System.out.println(
                "savepoint fixture written to "
                        + out
                        + " (open minute "
                        + Instant.ofEpochMilli(openWindow)
                        + ", "
                        + inputs.size()
                        + " responses in it)");
        System.exit(0); // the embedded ClickHouse stops in its shutdown hook
    }

    private static void awaitWindows(int windows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (Integer.parseInt(
                        ClickHouseTestServer.query(
                                        "SELECT count(DISTINCT window_start) FROM bi_mid_price_1m WHERE exchange = 'all'")
                                .get(0)
                                .get(0))
                < windows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the job wrote fewer than " + windows + " minutes in 2 minutes");
            }
            Thread.sleep(200);
        }
    }

    /**
     * Capture lines of the responses received since {@code from}, minus those the job found late.
     */
    private static List<String> responsesSince(long from) throws Exception {
        List<String> lines = new ArrayList<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(received_at), http_status, payload FROM raw_order_books FINAL"
                                + " WHERE toUnixTimestamp64Milli(received_at) >= "
                                + from
                                + " AND (exchange, market, received_at) NOT IN"
                                + " (SELECT exchange, market, received_at FROM ingest_errors FINAL WHERE error_type = 'late')"
                                + " ORDER BY received_at, exchange, market")) {
            lines.add(
                    CaptureFormat.encode(
                            RawMessage.restResponse(
                                    r.get(0),
                                    r.get(1),
                                    Long.parseLong(r.get(2)),
                                    Integer.parseInt(r.get(3)),
                                    r.get(4))));
        }
        return lines;
    }

    /** The release a fixture directory is for: its name without the leading {@code v}. */
    static String release(Path out) {
        String name = out.getFileName().toString();
        return name.startsWith("v") ? name.substring(1) : name;
    }

    static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
