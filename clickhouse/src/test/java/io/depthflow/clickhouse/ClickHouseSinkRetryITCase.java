package io.depthflow.clickhouse;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.depthflow.clickhouse.internal.ClickHouseSinkWriter;
import io.depthflow.clickhouse.internal.TableSpec;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.clickhouse.testing.JobMetrics;
import io.depthflow.clickhouse.testing.RestartableClickHouse;
import io.depthflow.sources.model.MidPrice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ClickHouse sink against the real engine when it fails: the server process stopped while a job
 * writes and started again on the same data directory and port, and a row ClickHouse refuses.
 */
@ExtendWith(ClickHouseTestServer.class)
class ClickHouseSinkRetryITCase {

    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension CLUSTER = cluster();

    /** A minute boundary an hour ago. */
    private static final long T0 = (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L;

    @TempDir Path dir;

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
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    @Test
    void
            shouldKeepAcceptingRowsAndCheckpointingWhileClickHouseIsDownAndWriteEveryRowOnceWhenItIsBack()
                    throws Exception {
        int n = 3000;
        try (RestartableClickHouse ch = RestartableClickHouse.start(dir.resolve("ch"))) {
            ClickHouseSinkOptions options =
                    ClickHouseSinkOptions.builder()
                            .jdbcUrl(ch.jdbcUrl())
                            .batchIntervalMs(200)
                            .retryBackoffMs(200, 1_000)
                            .requestTimeoutMs(5_000)
                            .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.enableCheckpointing(500);
            env.fromSequence(0, n - 1)
                    .map(ClickHouseSinkRetryITCase::paced)
                    .returns(TypeInformation.of(MidPrice.class))
                    .sinkTo(ClickHouseSinks.midPrices(options))
                    .name("mid_price_1m");
            JobClient job = env.executeAsync("clickhouse-sink-outage-it");
            JobID id = job.getJobID();
            try {

                awaitTrue("first rows written", () -> count(ch) >= 50);
                ch.stop();
                awaitTrue(
                        "rows buffered",
                        () -> sum(id, ClickHouseSinkWriter.METRIC_ROWS_BUFFERED) > 0);
                long buffered = sum(id, ClickHouseSinkWriter.METRIC_ROWS_BUFFERED);
                long checkpoints = sum(id, "numberOfCompletedCheckpoints");
                // the sink keeps taking rows (no back-pressure below its bound), checkpoints keep
                // completing (no request held in flight), retries happen (with backoff)
                awaitTrue(
                        "more rows buffered, a checkpoint and retries during the outage; buffered at outage "
                                + buffered
                                + ", checkpoints "
                                + checkpoints,
                        () ->
                                sum(id, ClickHouseSinkWriter.METRIC_ROWS_BUFFERED) >= buffered + 100
                                        && sum(id, "numberOfCompletedCheckpoints")
                                                >= checkpoints + 2
                                        && sum(id, ClickHouseSinkWriter.METRIC_FAILED_ATTEMPTS)
                                                >= 3);
                assertThat(sum(id, ClickHouseSinkWriter.METRIC_OLDEST_AGE)).isPositive();
                ch.restart();
                job.getJobExecutionResult().get(2, TimeUnit.MINUTES);

                assertThat(sum(id, ClickHouseSinkWriter.METRIC_ROWS_BUFFERED)).isZero();
                // every row once through FINAL, with its exact value
                assertThat(
                                ch.query(
                                        "SELECT count(), uniqExact(window_start), toString(sum(mid)),"
                                                + " toUnixTimestamp64Milli(min(window_start)), toUnixTimestamp64Milli(max(window_start))"
                                                + " FROM mid_price_1m FINAL"))
                        .containsExactly(
                                List.of(
                                        String.valueOf(n),
                                        String.valueOf(n),
                                        // sum of (i + 0.25) for i < n
                                        new BigDecimal((long) n * (n - 1) / 2)
                                                .add(
                                                        new BigDecimal("0.25")
                                                                .multiply(BigDecimal.valueOf(n)))
                                                .stripTrailingZeros()
                                                .toPlainString(),
                                        String.valueOf(T0),
                                        String.valueOf(T0 + (n - 1) * 60_000L)));
            } finally {
                if (!job.getJobExecutionResult().isDone()) {
                    job.cancel().get(60, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void shouldWriteTheGoodRowsOfABatchAndRecordTheRowClickHouseRefuses() throws Exception {
        ClickHouseTestServer.resetSchema();
        ClickHouseTestServer.execute("DROP TABLE IF EXISTS sink_refusal_test");
        ClickHouseTestServer.execute(
                "CREATE TABLE sink_refusal_test (id UInt32, small UInt8, version UInt64)"
                        + " ENGINE = ReplacingMergeTree(version) ORDER BY id");
        try {
            TableSpec<MidPrice> spec =
                    new TableSpec<>(
                            "sink_refusal_test",
                            "INSERT INTO sink_refusal_test (id, small, version) VALUES (?, ?, ?)",
                            (ps, m) -> {
                                ps.setInt(1, m.samples);
                                ps.setString(2, m.market); // a number as text, or not
                                ps.setLong(3, 1);
                            },
                            MidPrice.class,
                            m -> 64);
            List<MidPrice> rows =
                    List.of(
                            row(1, "7"),
                            row(2, "8"),
                            row(3, "not a number"),
                            row(4, "9"),
                            row(5, "10"));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.fromData(rows)
                    .sinkTo(
                            ClickHouseSinks.sink(
                                    ClickHouseSinkOptions.builder()
                                            .jdbcUrl(ClickHouseTestServer.jdbcUrl())
                                            .build(),
                                    spec));
            env.execute("clickhouse-sink-refusal-it");

            assertThat(
                            ClickHouseTestServer.query(
                                    "SELECT id, small FROM sink_refusal_test FINAL ORDER BY id"))
                    .containsExactly(
                            List.of("1", "7"),
                            List.of("2", "8"),
                            List.of("4", "9"),
                            List.of("5", "10"));
            List<List<String>> errors =
                    ClickHouseTestServer.query(
                            "SELECT exchange, market, error_type, error, payload FROM ingest_errors FINAL");
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).subList(0, 3))
                    .containsExactly("kraken", "not a number", "sink_rejected");
            assertThat(errors.get(0).get(3)).startsWith("sink_refusal_test: ");
            assertThat(errors.get(0).get(4)).contains("\"samples\":3").contains("\"mid\":3.25");
        } finally {
            ClickHouseTestServer.execute("DROP TABLE IF EXISTS sink_refusal_test");
        }
    }

    private static MidPrice row(int i, String market) {
        MidPrice m = new MidPrice();
        m.windowStart = T0 + i * 60_000L;
        m.market = market;
        m.exchange = "kraken";
        m.mid = new BigDecimal(i).add(new BigDecimal("0.25"));
        m.bestBid = m.mid;
        m.bestAsk = m.mid;
        m.samples = i;
        return m;
    }

    /** Row i, about 100 a second: a stream that is still flowing while ClickHouse is down. */
    private static MidPrice paced(long i) throws InterruptedException {
        Thread.sleep(10);
        return row((int) i, "BTC/USD");
    }

    private static long count(RestartableClickHouse ch) {
        try {
            return Long.parseLong(ch.query("SELECT count() FROM mid_price_1m").get(0).get(0));
        } catch (Exception e) {
            return -1;
        }
    }

    private static long sum(JobID job, String name) {
        return JobMetrics.sum(REPORTER, job, name);
    }

    private static void awaitTrue(String what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for: " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
