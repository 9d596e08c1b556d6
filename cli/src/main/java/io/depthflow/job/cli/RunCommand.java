package io.depthflow.job.cli;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.PollWorkflow;
import io.depthflow.job.StreamWorkflow;
import io.depthflow.job.dashboard.DashboardServer;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.rest.RestBookSourceBuilder;
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
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code bin/depthflow run}: the pipeline in a local Flink mini cluster (web UI on localhost), over
 * live polls or a capture file, into the configured or embedded ClickHouse; prints the per-minute
 * table as windows close: the terminal around the workflows ({@link PollWorkflow}, {@link
 * StreamWorkflow}), which are the same on a Flink cluster ({@code DepthflowJob.main}).
 */
public final class RunCommand {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

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
     * poll source's settings ({@code demo} lifts the rate limits for its simulator); {@code
     * emptiedEachStart}: the directory is emptied at every start ({@code demo}), so a run started
     * again does not resume.
     */
    static int runLocked(
            RunOptions opts,
            PrintStream out,
            PrintStream err,
            Consumer<RestBookSourceBuilder> sourceSettings,
            boolean emptiedEachStart)
            throws Exception {
        long startedAt = System.currentTimeMillis();
        try (ClickHouseTarget ch = ClickHouseTarget.open(opts.clickhouseUrl, opts.dataDir, err)) {
            ClickHouseSinkOptions sink = JobEnvironment.sinkOptions(ch.jdbcUrl());
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
                err.println(
                        from.map(
                                        f ->
                                                "depthflow: resuming from "
                                                        + f.describe()
                                                        + " ("
                                                        + checkpoints.dir()
                                                        + "); --fresh starts over")
                                .orElse(
                                        "depthflow: starting from empty state"
                                                + (opts.fresh ? " (--fresh)" : "")
                                                + "; checkpoints go to "
                                                + checkpoints.dir()
                                                + (emptiedEachStart
                                                        ? ""
                                                        : ", a run started again on "
                                                                + opts.dataDir
                                                                + " resumes from them")));
            }
            conf.set(RestOptions.PORT, webPort);
            LocalCluster local = new LocalCluster();
            StreamExecutionEnvironment env = local.environment(conf);
            SourceClock clock = opts.clock();
            // A live run prints the minutes it writes; a replay or a raw-log rebuild, all it
            // covers.
            // A resumed run also prints the minute its checkpoint had open (in the sources' time).
            long firstMinute =
                    opts.replay != null || opts.readsRawLog()
                            ? Long.MIN_VALUE
                            : from.map(
                                                    f ->
                                                            clock.currentTimeMillis()
                                                                    - Math.max(
                                                                                    0,
                                                                                    System
                                                                                                    .currentTimeMillis()
                                                                                            - f
                                                                                                    .completedAt
                                                                                                    .toEpochMilli())
                                                                            * opts.clockSpeed)
                                            .orElse(clock.currentTimeMillis())
                                    / 60_000
                                    * 60_000;
            if (opts.stream) {
                StreamWorkflow.build(env, opts, sink, clock);
            } else {
                PollWorkflow.build(env, opts, sink, clock, sourceSettings);
            }

            DashboardServer dashboard =
                    opts.dashboardPort < 0 ? null : startDashboard(ch.jdbcUrl(), opts, err);
            JobClient job;
            try {
                job = env.executeAsync("depthflow");
            } catch (Exception e) {
                LOG.warn("The job could not be started", e);
                throw new CommandException(
                        "run: the job could not be started: "
                                + Main.rootMessage(e)
                                + (opts.resumable()
                                        ? " (--fresh starts over without the data directory's checkpoint)"
                                        : ""));
            }
            err.println(
                    "depthflow: job "
                            + job.getJobID()
                            + " running"
                            + "; Flink web UI http://localhost:"
                            + webPort
                            + (dashboard != null ? "; dashboard " + dashboard.url() : "")
                            + (opts.replay != null
                                    ? "; replaying " + opts.replay
                                    : opts.readsRawLog()
                                            ? "; reading the Kafka raw log "
                                                    + opts.kafka.topic()
                                                    + " at "
                                                    + opts.kafka.bootstrapServers()
                                            : opts.stream
                                                    ? "; streaming the WebSocket books of "
                                                            + String.join(",", opts.exchanges)
                                                            + " for "
                                                            + String.join(",", opts.markets)
                                                    : "; polling "
                                                            + String.join(",", opts.exchanges)
                                                            + " for "
                                                            + String.join(",", opts.markets)
                                                            + " every "
                                                            + opts.interval.toSeconds()
                                                            + " s")
                            + (opts.writesRawLog()
                                    ? "; writing the Kafka raw log "
                                            + opts.kafka.topic()
                                            + " at "
                                            + opts.kafka.bootstrapServers()
                                    : "")
                            + "; Ctrl-C stops");
            if (System.getProperty("depthflow.log.dir") != null) {
                err.println(
                        "depthflow: log (details and stack traces) "
                                + System.getProperty("depthflow.log.dir")
                                + "/depthflow.log");
            }
            Thread hook = new Thread(() -> cancel(job), "depthflow-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            ch.supervise(err);

            MinuteTablePrinter printer =
                    opts.quiet
                            ? null
                            : new MinuteTablePrinter(
                                    sink.jdbcUrl(),
                                    JobEnvironment.auth(sink),
                                    out,
                                    firstMinute,
                                    startedAt);
            boolean live = opts.replay == null && !opts.readsRawLog();
            UnreachableVenues venues =
                    !live
                            ? null
                            : new UnreachableVenues(
                                    sink.jdbcUrl(),
                                    JobEnvironment.auth(sink),
                                    err,
                                    startedAt,
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
    private static DashboardServer startDashboard(
            String jdbcUrl, RunOptions opts, PrintStream err) {
        try {
            return DashboardCommand.start(jdbcUrl, opts.dashboardBind, opts.dashboardPort);
        } catch (CommandException e) {
            err.println("depthflow " + e.getMessage() + "; running without it");
            return null;
        }
    }

    /** Binds every listener of a local mini cluster to 127.0.0.1 (RPC, blob server, shuffle). */
    public static Configuration loopbackOnly(Configuration conf) {
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        return conf;
    }

    static void migrate(ClickHouseSinkOptions sink, int rawTtlDays) throws CommandException {
        try {
            JobEnvironment.migrate(sink, rawTtlDays);
        } catch (SQLException e) {
            throw new CommandException(
                    "run: cannot prepare the ClickHouse schema at "
                            + redact(sink.jdbcUrl())
                            + ": "
                            + Main.rootMessage(e));
        }
    }

    private static void checkKafka(RunOptions opts) throws CommandException {
        try {
            JobEnvironment.checkKafka(opts);
        } catch (IOException e) {
            throw new CommandException("run: " + e.getMessage());
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
     * A capture to replay must hold at least one capture record: an empty file or one that is not a
     * capture (a saved HTML page, a REST body) is one line and exit 1, as {@code quote} says of a
     * book file that is not one, instead of a job over nothing.
     */
    static void requireCaptureRecords(Path capture) throws CommandException {
        long lines = 0;
        String firstProblem = null;
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                Files.newInputStream(capture), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    CaptureFormat.decode(line);
                    return;
                } catch (
                        RuntimeException
                                notARecord) { // CaptureFormatException, or a decoder failure
                    if (firstProblem == null) {
                        firstProblem = "line " + lines + ": " + Messages.cause(notARecord);
                    }
                }
            }
        } catch (IOException e) {
            throw new CommandException(
                    "run: cannot read the capture " + capture + ": " + Messages.cause(e));
        }
        throw new CommandException(
                firstProblem == null
                        ? "run: the capture " + capture + " is empty: nothing to replay"
                        : "run: "
                                + capture
                                + " is not a capture file ("
                                + (lines == 1
                                        ? "its one line is not"
                                        : "none of its " + lines + " lines is")
                                + " a capture record; "
                                + (firstProblem.length() > 160
                                        ? firstProblem.substring(0, 160) + "..."
                                        : firstProblem)
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
