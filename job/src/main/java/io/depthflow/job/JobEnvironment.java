package io.depthflow.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.clickhouse.jdbc.ClickHouseDriver;
import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.Migrations;
import io.depthflow.job.io.kafka.KafkaRaw;
import io.depthflow.job.options.RunOptions;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * What every depthflow job needs around its topology, on a cluster as in a local run: the execution
 * settings, the restart strategy, the ClickHouse schema and the Kafka topic checked before the job
 * starts. The workflows ({@link PollWorkflow}, {@link StreamWorkflow}) and both entry points
 * ({@link DepthflowJob#main}, {@code bin/depthflow run}) use it.
 */
public final class JobEnvironment {

    /** Never changed: key groups are part of the savepoint format. */
    public static final int MAX_PARALLELISM = 128;

    private JobEnvironment() {}

    /**
     * The restart strategy of every depthflow job, on a cluster as in a local run (also in {@code
     * deploy/flink/config.yaml}): exponential delay from 1 s, doubling up to 1 min, with 10 %
     * jitter, back to 1 s after 10 min without a failure, and no limit on attempts. A ClickHouse or
     * exchange outage, a lost TaskManager or a failing task therefore never ends the job: it
     * restarts from its latest checkpoint at most once a minute until the cause is gone.
     */
    public static Configuration restartStrategy(Configuration c) {
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        c.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofSeconds(1));
        c.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofMinutes(1));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        c.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                Duration.ofMinutes(10));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        c.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                Integer.MAX_VALUE);
        return c;
    }

    /**
     * Execution settings every depthflow job uses; a job with checkpoints also gets the {@link
     * #restartStrategy}.
     */
    public static void configure(
            StreamExecutionEnvironment env, int parallelism, long checkpointIntervalMs) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        if (checkpointIntervalMs > 0) {
            // a job without checkpoints (a bounded replay) would restart from its beginning:
            // it fails with one line instead
            restartStrategy(c);
        }
        env.configure(c);
        env.setParallelism(parallelism);
        env.setMaxParallelism(MAX_PARALLELISM);
        if (checkpointIntervalMs > 0) {
            env.enableCheckpointing(checkpointIntervalMs);
        }
    }

    /**
     * {@link #configure} for a run with these options: checkpoints unless the input is bounded (a
     * replay, a bounded raw-log read) and nothing needs them (an exactly-once raw-log writer does).
     */
    static void configure(StreamExecutionEnvironment env, RunOptions opts) {
        boolean bounded = opts.replay != null || (opts.readsRawLog() && opts.kafka.bounded());
        boolean checkpoints =
                !bounded || (opts.writesRawLog() && KafkaRaw.needsCheckpoints(opts.kafka));
        configure(env, opts.parallelism, checkpoints ? opts.checkpointInterval.toMillis() : 0);
    }

    public static ClickHouseSinkOptions sinkOptions(String jdbcUrl) {
        return ClickHouseSinkOptions.builder().jdbcUrl(jdbcUrl).build();
    }

    /** The sink's user and password as JDBC connection properties. */
    public static Properties auth(ClickHouseSinkOptions sink) {
        Properties p = new Properties();
        if (sink.user() != null) {
            p.setProperty("user", sink.user());
        }
        if (sink.password() != null) {
            p.setProperty("password", sink.password());
        }
        return p;
    }

    /** Applies the schema migrations and the raw payloads' TTL. */
    public static void migrate(ClickHouseSinkOptions sink, int rawTtlDays) throws SQLException {
        try (Connection c = connect(sink)) {
            Migrations migrations = new Migrations(c);
            migrations.apply();
            migrations.applyRawTtlDays(rawTtlDays);
        }
    }

    /**
     * A connection from the ClickHouse driver itself rather than {@link java.sql.DriverManager}: on
     * a Flink cluster the driver is inside the job jar, in the user-code class loader, where
     * DriverManager's service lookup (done once, by the system class loader) never finds it.
     */
    private static Connection connect(ClickHouseSinkOptions sink) throws SQLException {
        Connection c = new ClickHouseDriver().connect(sink.jdbcUrl(), auth(sink));
        if (c == null) {
            throw new SQLException("not a ClickHouse JDBC URL");
        }
        return c;
    }

    /** The Kafka raw log's topic exists (when the run uses one). */
    public static void checkKafka(RunOptions opts) throws IOException {
        if (opts.kafka != null) {
            KafkaRaw.checkTopic(opts.kafka);
        }
    }
}
