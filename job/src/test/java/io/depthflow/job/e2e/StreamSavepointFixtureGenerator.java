package io.depthflow.job.e2e;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.Outputs;
import io.depthflow.job.StreamWorkflow;
import io.depthflow.job.book.StreamBookState;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.testing.LoopbackFlink;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.simulator.StreamSimulator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Writes the stream-mode savepoint fixture of the current release for {@link
 * StreamSavepointCompatibilityITCase}: the stream job as {@code bin/depthflow run --mode stream}
 * defines it ({@link StreamWorkflow#build}), on the simulator's WebSocket feeds (a 10x clock from
 * 2026-11-20T12:00:00Z), into the embedded ClickHouse, stopped with a canonical savepoint (hashmap
 * backend, parallelism 2, max parallelism 128) 15 to 25 s into a minute. The savepoint holds the
 * WebSocket source's splits and enumerator, the book builder's live books and open windows, the
 * cross-exchange SQL state, the sinks.
 *
 * <p>Output, in the directory given as the only argument (which must not hold a fixture yet):
 * {@code savepoint/}; {@code inputs.jsonl}, every raw message the job had taken in when the
 * savepoint was taken, in arrival order (from which the test rebuilds every saved book); {@code
 * fixture.properties}. About a minute:
 *
 * <pre>
 * ./mvnw -B -pl job -am test-compile -Psavepoint-fixture -Dsavepoint.fixture.main=StreamSavepointFixtureGenerator \
 *     -Dsavepoint.fixture.dir=savepoints-stream -Dsavepoint.fixture.release=0.1.0</pre>
 */
public final class StreamSavepointFixtureGenerator {

    static final Instant START = Instant.parse("2026-11-20T12:00:00Z");
    static final int SPEED = 10;
    static final int KRAKEN_DEPTH = 25;
    static final String NOTIONALS = "50000,100000";

    private StreamSavepointFixtureGenerator() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: StreamSavepointFixtureGenerator OUTPUT_DIR");
            System.exit(2);
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        if (Files.exists(out.resolve("savepoint"))) {
            System.err.println(
                    out
                            + " already holds a savepoint fixture; delete the directory first to replace it");
            System.exit(1);
        }
        Path work = Files.createTempDirectory("depthflow-stream-savepoint-fixture-");
        Path inputs = work.resolve("inputs.jsonl");
        ClickHouseTestServer.resetSchema();

        AcceleratedClock clock = new AcceleratedClock(START.toEpochMilli(), SPEED);
        String savepoint;
        long stoppedAt;
        try (StreamSimulator sim =
                StreamSimulator.builder().clock(clock).seed(2026).messagesPerSecond(20).start()) {
            RunOptions opts =
                    RunOptions.parse(
                            new String[] {
                                "--mode",
                                "stream",
                                "--kraken-ws-url",
                                sim.url("kraken"),
                                "--coinbase-ws-url",
                                sim.url("coinbase"),
                                "--kraken-depth",
                                String.valueOf(KRAKEN_DEPTH),
                                "--out-of-orderness",
                                "5s",
                                "--checkpoint-interval",
                                "1s",
                                "--notionals",
                                NOTIONALS,
                                "--clickhouse-url",
                                ClickHouseTestServer.jdbcUrl()
                            });
            Configuration conf = LoopbackFlink.loopbackOnly(new Configuration());
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(conf);
            Outputs outputs =
                    StreamWorkflow.build(
                            env,
                            opts,
                            JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()),
                            clock,
                            f -> f);
            // Stateless: the current job restores without it (no state to claim).
            outputs.raw()
                    .sinkTo(new StreamPipelineITCase.CaptureSink(inputs.toString()))
                    .uid("fixture-capture")
                    .name("Fixture capture")
                    .setParallelism(1);
            JobClient job = env.executeAsync("depthflow-stream-savepoint-fixture");

            awaitWindows(3);
            long now = clock.currentTimeMillis();
            long into = Math.floorMod(now, StreamBookState.WINDOW_MS);
            if (into < 15_000 || into >= 25_000) {
                Thread.sleep(
                        clock.toRealMillis(
                                Math.floorMod(15_000 - into, StreamBookState.WINDOW_MS)));
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

        long openWindow = StreamBookState.windowStart(stoppedAt);
        Files.createDirectories(out);
        SavepointFixtureGenerator.copyRecursively(
                Path.of(URI.create(savepoint)), out.resolve("savepoint"));
        Files.copy(inputs, out.resolve("inputs.jsonl"));
        Files.writeString(
                out.resolve("fixture.properties"),
                String.join(
                        "\n",
                        "# Written by "
                                + StreamSavepointFixtureGenerator.class.getName()
                                + "; see savepoints/README.md",
                        "depthflow.version=" + SavepointFixtureGenerator.release(out),
                        "flink.version="
                                + org.apache.flink.runtime.util.EnvironmentInformation.getVersion(),
                        "mode=stream",
                        "state.backend=hashmap",
                        "savepoint.format=CANONICAL",
                        "parallelism=2",
                        "max.parallelism=" + JobEnvironment.MAX_PARALLELISM,
                        "kraken.depth=" + KRAKEN_DEPTH,
                        "notionals=" + NOTIONALS,
                        "clock.speed=" + SPEED,
                        "open.window.start=" + openWindow,
                        "open.window.start.utc=" + Instant.ofEpochMilli(openWindow),
                        "stopped.at=" + stoppedAt,
                        "stopped.at.utc=" + Instant.ofEpochMilli(stoppedAt),
                        ""),
                StandardCharsets.UTF_8);
        SavepointFixtureGenerator.deleteRecursively(work);
        System.out.println(
                "stream savepoint fixture written to "
                        + out
                        + " (open minute "
                        + Instant.ofEpochMilli(openWindow)
                        + ")");
        System.exit(0);
    }

    private static void awaitWindows(int windows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (Integer.parseInt(
                        ClickHouseTestServer.query(
                                        "SELECT count(DISTINCT window_start) FROM mid_price_1m FINAL WHERE exchange = 'all'")
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
}
