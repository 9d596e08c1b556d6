package io.depthflow.job.cli;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.Migrations;
import io.depthflow.job.DepthflowJob;
import io.depthflow.job.OperatorIds;
import io.depthflow.job.dashboard.DashboardServer;
import io.depthflow.job.Outputs;
import io.depthflow.job.io.ClickHouseOutputs;
import io.depthflow.job.io.ClockWatermarks;
import io.depthflow.job.io.RawInput;
import io.depthflow.job.io.ReplaySource;
import io.depthflow.job.io.kafka.KafkaRaw;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.rest.RestBookSource;
import io.depthflow.sources.rest.RestBookSourceBuilder;

import com.clickhouse.jdbc.ClickHouseDriver;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code bin/depthflow run}: the pipeline in a local Flink mini cluster (web UI on localhost), over
 * live polls or a capture file, into the configured or embedded ClickHouse; prints the per-minute
 * table as windows close. {@link #runOnCluster} is the same pipeline for a Flink cluster.
 */
public final class RunCommand {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    /** Never changed: key groups are part of the savepoint format. */
    public static final int MAX_PARALLELISM = 128;

    private static final long PRINT_EVERY_MS = 2_000;

    private RunCommand() {}

    static int run(RunOptions opts, PrintStream out, PrintStream err) throws Exception {
        if (opts.replay != null) {
            requireCaptureRecords(opts.replay);
        }
        if (opts.clickhouseUrl != null && !opts.resumable()) {
            // a bounded run into a ClickHouse given by URL keeps nothing in the data directory
            return runLocked(opts, out, err, b -> {}, false);
        }
        try (DataDirLock lock = DataDirLock.acquire(opts.dataDir, "run")) {
            return runLocked(opts, out, err, b -> {}, false);
        }
    }

    /**
     * {@link #run} on a data directory whose {@link DataDirLock} the caller holds ({@code demo}
     * holds it while it prepares the directory); {@code sourceSettings} has the last say on the
     * poll source's settings ({@code demo} lifts the rate limits for its simulator);
     * {@code emptiedEachStart}: the directory is emptied at every start ({@code demo}), so a run
     * started again does not resume.
     */
    static int runLocked(RunOptions opts, PrintStream out, PrintStream err, Consumer<RestBookSourceBuilder> sourceSettings,
            boolean emptiedEachStart) throws Exception {
        long startedAt = System.currentTimeMillis();
        try (ClickHouseTarget ch = ClickHouseTarget.open(opts.clickhouseUrl, opts.dataDir, err)) {
            ClickHouseSinkOptions sink = sinkOptions(ch.jdbcUrl());
            migrate(sink, opts.rawTtlDays);
            checkKafka(opts);

            Configuration conf = new Configuration();
            int webPort = opts.webPort == 0 ? anyFreePort() : freePortFrom(opts.webPort);
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(RestOptions.ADDRESS, "127.0.0.1");
            conf.set(RestOptions.BIND_PORT, String.valueOf(webPort));
            loopbackOnly(conf);
            Optional<RunCheckpoints.Found> from = Optional.empty();
            if (opts.resumable()) {
                RunCheckpoints checkpoints = new RunCheckpoints(opts.dataDir);
                from = checkpoints.prepare(RunCheckpoints.modeOf(opts), opts.fresh);
                checkpoints.configure(conf, from);
                err.println(from.map(f -> "depthflow: resuming from " + f.describe() + " (" + checkpoints.dir()
                                + "); --fresh starts over")
                        .orElse("depthflow: starting from empty state" + (opts.fresh ? " (--fresh)" : "")
                                + "; checkpoints go to " + checkpoints.dir() + (emptiedEachStart ? ""
                                        : ", a run started again on " + opts.dataDir + " resumes from them")));
            }
            conf.set(RestOptions.PORT, webPort);
            LocalCluster local = new LocalCluster();
            StreamExecutionEnvironment env = local.environment(conf);
            SourceClock clock = opts.clock();
            // A live run prints the minutes it writes; a replay or a raw-log rebuild, all it covers.
            // A resumed run also prints the minute its checkpoint had open (in the sources' time).
            long firstMinute = opts.replay != null || opts.readsRawLog()
                    ? Long.MIN_VALUE
                    : from.map(f -> clock.currentTimeMillis()
                                    - Math.max(0, System.currentTimeMillis() - f.completedAt.toEpochMilli()) * opts.clockSpeed)
                            .orElse(clock.currentTimeMillis()) / 60_000 * 60_000;
            define(env, opts, sink, clock, sourceSettings);

            DashboardServer dashboard = opts.dashboardPort < 0 ? null : startDashboard(ch.jdbcUrl(), opts, err);
            JobClient job;
            try {
                job = env.executeAsync("depthflow");
            } catch (Exception e) {
                LOG.warn("The job could not be started", e);
                throw new CommandException("run: the job could not be started: " + Main.rootMessage(e)
                        + (opts.resumable() ? " (--fresh starts over without the data directory's checkpoint)" : ""));
            }
            err.println("depthflow: job " + job.getJobID() + " running"
                    + "; Flink web UI http://localhost:" + webPort
                    + (dashboard != null ? "; dashboard " + dashboard.url() : "")
                    + (opts.replay != null ? "; replaying " + opts.replay
                            : opts.readsRawLog() ? "; reading the Kafka raw log " + opts.kafka.topic() + " at " + opts.kafka.bootstrapServers()
                            : opts.stream ? "; streaming the WebSocket books of " + String.join(",", opts.exchanges) + " for " + String.join(",", opts.markets)
                            : "; polling " + String.join(",", opts.exchanges)
                            + " for " + String.join(",", opts.markets) + " every " + opts.interval.toSeconds() + " s")
                    + (opts.writesRawLog() ? "; writing the Kafka raw log " + opts.kafka.topic() + " at " + opts.kafka.bootstrapServers() : "")
                    + "; Ctrl-C stops");
            if (System.getProperty("depthflow.log.dir") != null) {
                err.println("depthflow: log (details and stack traces) " + System.getProperty("depthflow.log.dir") + "/depthflow.log");
            }
            Thread hook = new Thread(() -> cancel(job), "depthflow-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            ch.supervise(err);

            MinuteTablePrinter printer = opts.quiet ? null
                    : new MinuteTablePrinter(sink.jdbcUrl(), auth(sink), out, firstMinute, startedAt);
            boolean live = opts.replay == null && !opts.readsRawLog();
            UnreachableVenues venues = !live ? null : new UnreachableVenues(sink.jdbcUrl(), auth(sink), err, startedAt,
                    opts.pollsALiveVenue());
            JobEvents events = new JobEvents(job, webPort, err);
            CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
            while (!result.isDone()) {
                try {
                    result.get(PRINT_EVERY_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    events.poll();
                    local.replaceLostTaskManager(err);
                    tellUnreachable(venues);
                    printQuietly(printer, false);
                }
            }
            try {
                result.get();
            } catch (ExecutionException e) {
                LOG.warn("The job failed", e);
                throw new CommandException("run: the job failed: " + Main.rootMessage(e));
            } finally {
                Runtime.getRuntime().removeShutdownHook(hook);
                if (dashboard != null) {
                    dashboard.close();
                }
            }
            tellUnreachable(venues);
            printQuietly(printer, true);
            err.println("depthflow: job finished");
            return 0;
        }
    }

    /** The dashboard of a local run; a port it cannot get is one line, not the end of the run. */
    private static DashboardServer startDashboard(String jdbcUrl, RunOptions opts, PrintStream err) {
        try {
            return DashboardCommand.start(jdbcUrl, opts.dashboardBind, opts.dashboardPort);
        } catch (CommandException e) {
            err.println("depthflow " + e.getMessage() + "; running without it");
            return null;
        }
    }

    /** Cluster entry point: ClickHouse must be given by URL; the cluster provides everything else. */
    static void runOnCluster(RunOptions opts) throws Exception {
        if (opts.clickhouseUrl == null) {
            throw new UsageException("run: on a Flink cluster --clickhouse-url is required (the embedded ClickHouse is for local runs)");
        }
        ClickHouseSinkOptions sink = sinkOptions(opts.clickhouseUrl);
        migrate(sink, opts.rawTtlDays);
        checkKafka(opts);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        define(env, opts, sink, opts.clock());
        env.execute("depthflow");
    }

    /** The whole pipeline on {@code env}: source, topology, ClickHouse sinks. */
    public static Outputs define(
            StreamExecutionEnvironment env, RunOptions opts, ClickHouseSinkOptions sink, SourceClock clock) {
        return define(env, opts, sink, clock, b -> {});
    }

    /**
     * As {@link #define(StreamExecutionEnvironment, RunOptions, ClickHouseSinkOptions, SourceClock)},
     * with a last say on the poll source's settings (tests raise rate limits for a fast clock).
     */
    public static Outputs define(
            StreamExecutionEnvironment env,
            RunOptions opts,
            ClickHouseSinkOptions sink,
            SourceClock clock,
            Consumer<RestBookSourceBuilder> sourceSettings) {
        if (opts.stream) {
            return StreamRun.define(env, opts, sink, clock, f -> f);
        }
        boolean bounded = opts.replay != null || (opts.readsRawLog() && opts.kafka.bounded());
        boolean checkpoints = !bounded || (opts.writesRawLog() && KafkaRaw.needsCheckpoints(opts.kafka));
        configure(env, opts.parallelism, checkpoints ? opts.checkpointInterval.toMillis() : 0);
        DataStream<RawMessage> raw;
        DataStream<IngestError> unusableLines = null;
        if (opts.replay != null) {
            RawInput input = ReplaySource.create(env, opts.replay, opts.outOfOrderness);
            raw = input.messages();
            unusableLines = input.errors();
        } else if (opts.readsRawLog()) {
            RawInput input = KafkaRaw.source(env, opts.kafka, opts.outOfOrderness, false);
            raw = input.messages();
            unusableLines = input.errors();
        } else {
            RestBookSourceBuilder b = RestBookSource.builder()
                    .setExchanges(opts.exchanges.toArray(new String[0]))
                    .setMarkets(opts.markets.toArray(new String[0]))
                    .setInterval(opts.interval)
                    .setClock(clock);
            opts.restUrls.forEach(b::setBaseUrl);
            if (opts.duration != null) {
                b.setDuration(opts.duration);
            }
            sourceSettings.accept(b);
            raw = env.fromSource(b.build(), ClockWatermarks.strategy(clock, opts.outOfOrderness), "Exchange REST books")
                    .uid(OperatorIds.SOURCE_REST_BOOKS);
        }
        if (opts.writesRawLog()) {
            KafkaRaw.attachSink(raw, opts.kafka);
        }
        boolean polls = opts.replay == null && !opts.readsRawLog(); // a log's interval and venues are unknown
        Outputs outputs = DepthflowJob.defineWorkflow(env, raw, opts.notionals,
                polls ? opts.interval.toMillis() : 0, polls ? opts.exchanges.size() : 0, opts.liquidity)
                .withMoreErrors(unusableLines);
        ClickHouseOutputs.attach(outputs, sink);
        return outputs;
    }

    /** Binds every listener of a local mini cluster to 127.0.0.1 (RPC, blob server, shuffle). */
    public static Configuration loopbackOnly(Configuration conf) {
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        return conf;
    }

    /**
     * The restart strategy of every depthflow job, on a cluster as in a local run (also in {@code
     * deploy/flink/config.yaml}): exponential delay from 1 s, doubling up to 1 min, with 10 %
     * jitter, back to 1 s after 10 min without a failure, and no limit on attempts. A ClickHouse or
     * exchange outage, a lost TaskManager or a failing task therefore never ends the job: it
     * restarts from its latest checkpoint at most once a minute until the cause is gone.
     */
    public static Configuration restartStrategy(Configuration c) {
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofMinutes(1));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, Duration.ofMinutes(10));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        return c;
    }

    /**
     * Execution settings every depthflow job uses; a job with checkpoints also gets the {@link
     * #restartStrategy}.
     */
    public static void configure(StreamExecutionEnvironment env, int parallelism, long checkpointIntervalMs) {
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

    public static ClickHouseSinkOptions sinkOptions(String jdbcUrl) {
        return ClickHouseSinkOptions.builder().jdbcUrl(jdbcUrl).build();
    }

    static Properties auth(ClickHouseSinkOptions sink) {
        Properties p = new Properties();
        if (sink.user() != null) {
            p.setProperty("user", sink.user());
        }
        if (sink.password() != null) {
            p.setProperty("password", sink.password());
        }
        return p;
    }

    static void migrate(ClickHouseSinkOptions sink, int rawTtlDays) throws CommandException {
        try (Connection c = connect(sink)) {
            Migrations migrations = new Migrations(c);
            migrations.apply();
            migrations.applyRawTtlDays(rawTtlDays);
        } catch (SQLException e) {
            throw new CommandException("run: cannot prepare the ClickHouse schema at " + redact(sink.jdbcUrl()) + ": " + Main.rootMessage(e));
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

    private static void checkKafka(RunOptions opts) throws CommandException {
        if (opts.kafka != null) {
            try {
                KafkaRaw.checkTopic(opts.kafka);
            } catch (IOException e) {
                throw new CommandException("run: " + e.getMessage());
            }
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static void tellUnreachable(UnreachableVenues venues) {
        if (venues == null) {
            return;
        }
        try {
            venues.poll();
        } catch (SQLException e) {
            LOG.warn("Could not read ingest_errors for unreachable venues: {}", e.getMessage());
        }
    }

    /**
     * A capture to replay must hold at least one capture record: an empty file or one that is not
     * a capture (a saved HTML page, a REST body) is one line and exit 1, as {@code quote} says of
     * a book file that is not one, instead of a job over nothing.
     */
    static void requireCaptureRecords(Path capture) throws CommandException {
        long lines = 0;
        String firstProblem = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(capture), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    CaptureFormat.decode(line);
                    return;
                } catch (RuntimeException notARecord) { // CaptureFormatException, or a decoder failure
                    if (firstProblem == null) {
                        firstProblem = "line " + lines + ": " + Messages.cause(notARecord);
                    }
                }
            }
        } catch (IOException e) {
            throw new CommandException("run: cannot read the capture " + capture + ": " + Messages.cause(e));
        }
        throw new CommandException(firstProblem == null
                ? "run: the capture " + capture + " is empty: nothing to replay"
                : "run: " + capture + " is not a capture file (" + (lines == 1 ? "its one line is not" : "none of its " + lines + " lines is")
                        + " a capture record; "
                        + (firstProblem.length() > 160 ? firstProblem.substring(0, 160) + "..." : firstProblem)
                        + "); bin/depthflow record writes one");
    }

    private static void printQuietly(MinuteTablePrinter printer, boolean flushAll) {
        if (printer == null) {
            return;
        }
        try {
            printer.poll(flushAll);
        } catch (SQLException e) {
            LOG.warn("Could not read the BI views for the terminal table: {}", e.getMessage());
        }
    }

    private static void cancel(JobClient job) {
        try {
            job.cancel().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Cancel on shutdown", e);
        }
    }

    private static int anyFreePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int freePortFrom(int first) {
        for (int p = first; p < first + 20 && p <= 65_535; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException busy) {
                // try the next one
            }
        }
        return 0;
    }
}
