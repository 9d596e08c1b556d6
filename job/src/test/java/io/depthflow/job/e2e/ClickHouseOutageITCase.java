package io.depthflow.job.e2e;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.ClickHouseSinks;
import io.depthflow.clickhouse.internal.ClickHouseSinkWriter;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.clickhouse.testing.JobMetrics;
import io.depthflow.clickhouse.testing.RestartableClickHouse;
import io.depthflow.job.Outputs;
import io.depthflow.job.PollWorkflow;
import io.depthflow.job.StreamWorkflow;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.StreamSimulator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ClickHouse outage while the whole pipeline runs, in poll and in stream mode at once (two jobs
 * on the simulators): their ClickHouse (an embedded server of its own) is stopped for more than 60
 * s of wall time and started again on the same data directory and port. Each job also writes its
 * gold rows, through the same sink, into a second ClickHouse that never goes down (the shared test
 * server): same input, same computation, no outage. Afterwards the BI views and {@code
 * mid_price_1m}'s completeness columns of the two must be identical, every minute present, each key
 * once; neither job may have failed or restarted.
 */
@ExtendWith(ClickHouseTestServer.class)
class ClickHouseOutageITCase {

    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension CLUSTER = cluster();

    /** The fault: the ClickHouse server process is down at least this long (wall time). */
    private static final Duration OUTAGE = Duration.ofSeconds(61);

    /** Event time runs 12 times faster: the outage spans 12 minutes of data. */
    private static final double SPEED = 12;

    /** An hour ago, 10 s before a minute boundary (raw_order_books keeps 30 days: stay recent). */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L - 10_000L;

    @TempDir Path dir;

    @BeforeEach
    void freshSchema() throws Exception {
        ClickHouseTestServer.resetSchema();
    }

    @Test
    void shouldWriteEveryMinuteOnceInPollAndStreamModeAsIfClickHouseHadNeverBeenDown()
            throws Exception {
        // one outage for both modes, each its own job; stream-mode data is a day older than
        // poll-mode data, so that their minutes never share a key
        long pollStart = START;
        long streamStart = START - 86_400_000L;
        AcceleratedClock pollClock = new AcceleratedClock(pollStart, SPEED);
        AcceleratedClock streamClock = new AcceleratedClock(streamStart, SPEED);
        try (RestartableClickHouse ch = RestartableClickHouse.start(dir.resolve("clickhouse"));
                ExchangeSimulator rest =
                        ExchangeSimulator.builder().clock(pollClock).seed(7).start();
                StreamSimulator ws =
                        StreamSimulator.builder()
                                .clock(streamClock)
                                .seed(5)
                                .messagesPerSecond(10)
                                .start()) {
            StreamExecutionEnvironment pollEnv =
                    StreamExecutionEnvironment.getExecutionEnvironment();
            Outputs poll =
                    PollWorkflow.build(
                            pollEnv,
                            RunOptions.parse(
                                    new String[] {
                                        "--coinbase-url", rest.baseUrl("coinbase"),
                                        "--kraken-url", rest.baseUrl("kraken"),
                                        "--interval", "15s",
                                        "--duration", "14m",
                                        "--out-of-orderness", "30s",
                                        "--checkpoint-interval", "2s",
                                        "--clickhouse-url", ch.jdbcUrl()
                                    }),
                            sinkOptions(ch.jdbcUrl()),
                            pollClock,
                            b ->
                                    b.setRateLimit("kraken", 50, 10)
                                            .setRateLimit("coinbase", 50, 10)
                                            .setConnectTimeout(Duration.ofSeconds(2))
                                            .setRequestTimeout(Duration.ofSeconds(2)));
            teeToHealthyClickHouse(poll);

            StreamExecutionEnvironment streamEnv =
                    StreamExecutionEnvironment.getExecutionEnvironment();
            Outputs stream =
                    StreamWorkflow.build(
                            streamEnv,
                            RunOptions.parse(
                                    new String[] {
                                        "--mode", "stream",
                                        "--kraken-ws-url", ws.url("kraken"),
                                        "--coinbase-ws-url", ws.url("coinbase"),
                                        "--kraken-depth", "25",
                                        "--duration", "14m",
                                        "--out-of-orderness", "30s",
                                        "--checkpoint-interval", "2s",
                                        "--clickhouse-url", ch.jdbcUrl()
                                    }),
                            sinkOptions(ch.jdbcUrl()),
                            streamClock,
                            f -> f);
            teeToHealthyClickHouse(stream);

            JobClient pollJob = pollEnv.executeAsync("clickhouse-outage-it-poll");
            JobClient streamJob = streamEnv.executeAsync("clickhouse-outage-it-stream");
            try {
                runOutage(ch, pollJob.getJobID(), streamJob.getJobID(), pollStart);
                pollJob.getJobExecutionResult().get(3, TimeUnit.MINUTES);
                streamJob.getJobExecutionResult().get(3, TimeUnit.MINUTES);
            } finally {
                for (JobClient job : List.of(pollJob, streamJob)) {
                    if (!job.getJobExecutionResult().isDone()) {
                        job.cancel().get(1, TimeUnit.MINUTES);
                    }
                }
            }
            for (JobClient job : List.of(pollJob, streamJob)) {
                assertThat(sum(job.getJobID(), "numRestarts")).as("job restarts").isZero();
                assertThat(sum(job.getJobID(), ClickHouseSinkWriter.METRIC_ROWS_BUFFERED)).isZero();
            }
            assertSameAsWithoutOutage(ch);
            assertEveryMinutePresent(ch, "poll mode", pollStart, pollStart + 86_400_000L);
            assertEveryMinutePresent(ch, "stream mode", streamStart, pollStart);
        }
    }

    /** The sink as the job builds it, with a shorter backoff cap so that the test ends sooner. */
    private static ClickHouseSinkOptions sinkOptions(String url) {
        return ClickHouseSinkOptions.builder().jdbcUrl(url).retryBackoffMs(500, 4_000).build();
    }

    /** The same gold rows, through the same sinks, into a ClickHouse that stays up. */
    private static void teeToHealthyClickHouse(Outputs outputs) {
        ClickHouseSinkOptions healthy = sinkOptions(ClickHouseTestServer.jdbcUrl());
        outputs.exchangeMids()
                .sinkTo(ClickHouseSinks.midPrices(healthy))
                .uid("test-healthy-mids")
                .name("healthy mids");
        outputs.allMids()
                .sinkTo(ClickHouseSinks.midPrices(healthy))
                .uid("test-healthy-mids-all")
                .name("healthy mids all");
        outputs.bestExecution()
                .sinkTo(ClickHouseSinks.bestExecutions(healthy))
                .uid("test-healthy-best")
                .name("healthy best");
    }

    private static void runOutage(
            RestartableClickHouse ch, JobID poll, JobID stream, long pollStart) throws Exception {
        awaitTrue(
                "the first minutes of both modes in ClickHouse",
                () ->
                        count(
                                        ch.query(
                                                "SELECT min(window_start >= fromUnixTimestamp64Milli("
                                                        + pollStart
                                                        + ")) + max(window_start >= fromUnixTimestamp64Milli("
                                                        + pollStart
                                                        + ")) FROM mid_price_1m"))
                                == 1);
        ch.stop();
        long stopped = System.nanoTime();
        awaitTrue(
                "rows buffered by the sinks of both jobs",
                () ->
                        sum(poll, ClickHouseSinkWriter.METRIC_ROWS_BUFFERED) > 0
                                && sum(stream, ClickHouseSinkWriter.METRIC_ROWS_BUFFERED) > 0);
        long healthyAtStop = count(ClickHouseTestServer.query("SELECT count() FROM mid_price_1m"));
        // The fault's required duration (wall time): the server stays down this long.
        long downNanos = OUTAGE.toNanos() - (System.nanoTime() - stopped);
        if (downNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(downNanos);
        }
        // while it was down the sources kept polling and streaming: new minutes reached the healthy
        // server
        assertThat(count(ClickHouseTestServer.query("SELECT count() FROM mid_price_1m")))
                .as("minutes computed during the outage")
                .isGreaterThan(healthyAtStop);
        for (JobID job : List.of(poll, stream)) {
            assertThat(sum(job, ClickHouseSinkWriter.METRIC_FAILED_ATTEMPTS)).isPositive();
            assertThat(sum(job, ClickHouseSinkWriter.METRIC_OLDEST_AGE)).isGreaterThan(30_000);
        }
        ch.restart();
    }

    /**
     * The BI views and the completeness columns: identical with and without the outage, each key
     * once.
     */
    private static void assertSameAsWithoutOutage(RestartableClickHouse ch) throws Exception {
        for (String sql :
                List.of(
                        "SELECT toUnixTimestamp64Milli(window_start), market, exchange, toString(mid) FROM bi_mid_price_1m",
                        "SELECT toUnixTimestamp64Milli(window_start), market, side, notional, exchange, toString(avg_price) FROM bi_best_execution_1m",
                        "SELECT toUnixTimestamp64Milli(window_start), market, exchange, samples, good_ms, book_status FROM mid_price_1m FINAL")) {
            List<List<String>> afterOutage = ch.query(sql + " ORDER BY ALL");
            List<List<String>> withoutOutage = ClickHouseTestServer.query(sql + " ORDER BY ALL");
            assertThat(afterOutage).as(sql).isNotEmpty().isEqualTo(withoutOutage);
        }
        for (String sql :
                List.of(
                        "SELECT count(), uniqExact(window_start, market, exchange) FROM bi_mid_price_1m",
                        "SELECT count(), uniqExact(window_start, market, side, notional) FROM bi_best_execution_1m")) {
            List<String> counts = ch.query(sql).get(0);
            assertThat(counts.get(0)).as(sql).isEqualTo(counts.get(1));
        }
    }

    /** Every minute present, for each book, from its first to its last, across the outage. */
    private static void assertEveryMinutePresent(
            RestartableClickHouse ch, String mode, long from, long to) throws Exception {
        Map<String, List<Long>> minutes =
                ch
                        .query(
                                "SELECT exchange || '|' || market, toUnixTimestamp64Milli(window_start) FROM mid_price_1m FINAL"
                                        + " WHERE window_start >= fromUnixTimestamp64Milli("
                                        + from
                                        + ")"
                                        + " AND window_start < fromUnixTimestamp64Milli("
                                        + to
                                        + ") ORDER BY 2")
                        .stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> r.get(0),
                                        TreeMap::new,
                                        Collectors.mapping(
                                                r -> Long.parseLong(r.get(1)),
                                                Collectors.toList())));
        assertThat(minutes).as(mode).hasSizeGreaterThanOrEqualTo(4);
        minutes.forEach(
                (book, starts) -> {
                    assertThat(starts.size()).as(mode + " " + book).isGreaterThanOrEqualTo(12);
                    assertThat(starts.get(starts.size() - 1) - starts.get(0))
                            .as(mode + " " + book + ": no minute missing")
                            .isEqualTo((starts.size() - 1) * 60_000L);
                });
    }

    private static long count(List<List<String>> rows) {
        return Long.parseLong(rows.get(0).get(0));
    }

    private static long sum(JobID job, String name) {
        return JobMetrics.sum(REPORTER, job, name);
    }

    private static void awaitTrue(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("timed out waiting for: " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static MiniClusterExtension cluster() {
        Configuration conf = new Configuration();
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        REPORTER.addToConfiguration(conf);
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(4)
                        .build());
    }
}
