package io.depthflow.job.cli;

import io.depthflow.clickhouse.embedded.EmbeddedClickHouse;
import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.venue.Venue;
import io.depthflow.sources.venue.Venues;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/depthflow demo [--mode poll|stream] [--duration D]}: the whole local run without
 * internet. It starts the bundled exchange simulator in this process on free loopback ports and
 * runs exactly the job {@code run} runs ({@link RunCommand#runLocked}, same options object, same
 * embedded ClickHouse, minute table and dashboard) against it, on an accelerated clock so that a
 * minute closes every few seconds.
 *
 * <p>Its data directory ({@code ./data-demo} by default, never the user's {@code ./data}) is
 * emptied at every start: the demo's clock runs ahead of the wall clock, so minutes of an earlier
 * demo would overlap this one's. It only empties a directory it created itself (marked with {@value
 * #MARKER}) or an empty one.
 */
final class DemoCommand {

    static final String DEFAULT_DATA_DIR = "data-demo";
    static final String MARKER = ".depthflow-demo";
    static final int DEFAULT_SPEED = 6;

    /** The picocli model of {@code demo}: its options and {@code --help}. */
    static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "demo",
                        "run it against the bundled exchange simulator on a fast clock (no internet needed)",
                        "Runs the job of 'bin/depthflow run' against the bundled exchange simulator (in"
                                + " this process, on free loopback ports; no internet needed), with the"
                                + " embedded ClickHouse, on a clock "
                                + DEFAULT_SPEED
                                + " times faster than real time: a minute closes every "
                                + 60 / DEFAULT_SPEED
                                + " s.",
                        "While it runs: bin/depthflow sql --data-dir "
                                + DEFAULT_DATA_DIR
                                + " \"SELECT * FROM bi_mid_price_1m ORDER BY window_start DESC LIMIT 4\"");
        CommandModel.value(
                s,
                "--mode",
                "poll|stream",
                "poll the REST books (default) or stream the WebSocket books");
        RunOptions.addExchangesOption(s, "the simulated venues");
        CommandModel.duration(
                s,
                "--duration",
                "stop after D of real time (e.g. 2m), write the last minutes, exit (default: Ctrl-C)");
        CommandModel.integer(
                s,
                "--clock-speed",
                "N",
                1,
                600,
                "N times faster than real time (default " + DEFAULT_SPEED + "; 1 = real time)");
        CommandModel.value(
                s,
                "--data-dir",
                "DIR",
                "the demo's directory (default ./"
                        + DEFAULT_DATA_DIR
                        + "), EMPTIED at every start; it must be empty or an earlier demo's");
        CommandModel.wholeNumber(s, "--seed", "S", "the simulator's seed (default 1)");
        CommandModel.integer(
                s,
                "--web-port",
                "P",
                0,
                65_535,
                "Flink web UI port (default 8081, the next free one if busy; 0 = any)");
        CommandModel.integer(
                s,
                "--dashboard-port",
                "P",
                0,
                65_535,
                "the live dashboard's port (default 8088; 0 = any free port)");
        CommandModel.flag(s, "--no-dashboard", "do not serve the dashboard");
        CommandModel.flag(s, "--quiet", "do not print the per-minute table");
        return s;
    }

    private DemoCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        ParsedOptions a = CommandModel.parse(spec(), argv);
        String mode = a.get("--mode", "poll");
        if (!mode.equals("poll") && !mode.equals("stream")) {
            throw new UsageException("demo: --mode must be poll or stream, got '" + mode + "'");
        }
        Duration duration = a.<Duration>value("--duration", null);
        int speed = a.value("--clock-speed", DEFAULT_SPEED);
        Path dataDir = Path.of(a.get("--data-dir", DEFAULT_DATA_DIR));
        long seed = a.value("--seed", 1L);
        String webPort = String.valueOf(a.value("--web-port", 8081));
        String dashboardPort = String.valueOf(a.value("--dashboard-port", 8088));

        try (DataDirLock lock = DataDirLock.acquire(dataDir, "demo")) {
            empty(dataDir);
            // The simulator, the sources and the windows share one clock: the anchor is now, and
            // from here on the clock runs `speed` times faster than the wall clock.
            Instant anchor = Instant.ofEpochMilli(System.currentTimeMillis());
            AcceleratedClock clock = AcceleratedClock.anchoredAt(anchor.toEpochMilli(), speed);
            StreamSimulator streams;
            try {
                streams = StreamSimulator.builder().port(0).seed(seed).clock(clock).start();
            } catch (IOException e) {
                throw new CommandException(
                        "demo: cannot start the simulator's WebSocket server: "
                                + Messages.cause(e));
            }
            try (ExchangeSimulator rest =
                    ExchangeSimulator.builder()
                            .port(0)
                            .seed(seed)
                            .clock(clock)
                            .streams(streams)
                            .start()) {
                List<String> args =
                        new ArrayList<>(
                                List.of(
                                        "--data-dir", dataDir.toString(),
                                        "--mode", mode,
                                        "--web-port", webPort));
                for (Venue v : Venues.ALL) {
                    args.addAll(
                            List.of(
                                    RunOptions.restUrlFlag(v.name()),
                                    rest.baseUrl(v.name()),
                                    RunOptions.wsUrlFlag(v.name()),
                                    streams.url(v.name())));
                }
                if (a.has("--exchanges")) {
                    args.addAll(List.of("--exchanges", a.get("--exchanges", "")));
                }
                if (mode.equals("poll")) {
                    // six polls a minute: a minute's mid is the average of six books
                    args.addAll(List.of("--interval", "10s"));
                }
                if (speed > 1) {
                    args.addAll(
                            List.of(
                                    "--clock-speed",
                                    String.valueOf(speed),
                                    "--clock-start",
                                    anchor.toString()));
                }
                if (duration != null) {
                    // --duration is the user's time; the sources count it on their clock
                    args.addAll(List.of("--duration", duration.toMillis() * speed + "ms"));
                }
                if (a.has("--no-dashboard")) {
                    args.add("--no-dashboard");
                } else {
                    args.addAll(List.of("--dashboard-port", dashboardPort));
                }
                if (a.has("--quiet")) {
                    args.add("--quiet");
                }
                RunOptions opts = RunOptions.parse(args.toArray(new String[0]));
                StringBuilder venues = new StringBuilder();
                for (String exchange : opts.exchanges) {
                    venues.append(venues.length() == 0 ? "" : ", ")
                            .append(exchange)
                            .append(' ')
                            .append(rest.baseUrl(exchange))
                            .append(" and ")
                            .append(streams.url(exchange));
                }
                err.println(
                        "depthflow demo: exchange simulator (seed "
                                + seed
                                + ") on 127.0.0.1: "
                                + venues);
                err.println(
                        "depthflow demo: "
                                + (mode.equals("poll")
                                        ? "polling the REST books every 10 s"
                                        : "streaming the WebSocket books")
                                + " of simulated time; the clock runs "
                                + speed
                                + "x (a minute closes every "
                                + java.math.BigDecimal.valueOf(60_000 / speed, 3)
                                        .stripTrailingZeros()
                                        .toPlainString()
                                + " s"
                                + (duration == null
                                        ? ""
                                        : "; stops after " + duration.toSeconds() + " s")
                                + "); data in "
                                + dataDir.toAbsolutePath()
                                + " (emptied at every demo start; read it with"
                                + " bin/depthflow sql --data-dir "
                                + dataDir
                                + " \"...\")");
                err.println(
                        "depthflow demo: inject a fault: curl -X POST '"
                                + rest.baseUrl("_sim")
                                + "/faults?exchange="
                                + opts.exchanges.get(opts.exchanges.size() - 1)
                                + "&fault="
                                + (mode.equals("poll") ? "http_500&times=2" : "corrupt_checksum")
                                + "'");
                return RunCommand.runLocked(
                        opts,
                        out,
                        err,
                        b -> {
                            // the simulator has no rate limits; polls come `speed` times as often
                            for (String exchange : opts.exchanges) {
                                b.setRateLimit(exchange, 50, 10);
                            }
                        },
                        true);
            } catch (java.net.BindException e) {
                throw new CommandException(
                        "demo: cannot start the simulator: " + Messages.cause(e));
            } finally {
                streams.close();
            }
        }
    }

    /**
     * Empties {@code dir} for a new demo, keeping the lock file and the log directory (both are
     * open in this process), and marks it as a demo's. Refuses a directory holding anything else
     * than an earlier demo's data: {@code --data-dir ./data} must never wipe a real run's minutes.
     */
    static void empty(Path dir) throws UsageException, CommandException {
        try {
            List<Path> children;
            try (Stream<Path> s = Files.list(dir)) {
                children =
                        s.filter(
                                        p ->
                                                !p.getFileName().toString().equals(DataDirLock.FILE)
                                                        && !p.getFileName()
                                                                .toString()
                                                                .equals("logs"))
                                .toList();
            }
            if (!children.isEmpty() && !Files.exists(dir.resolve(MARKER))) {
                throw new UsageException(
                        "demo: "
                                + dir
                                + " holds data that is not an earlier demo's, and a demo empties"
                                + " its directory; give an empty or new --data-dir (default ./"
                                + DEFAULT_DATA_DIR
                                + ")");
            }
            if (EmbeddedClickHouse.runningServerUrl(dir).isPresent()) {
                throw new UsageException(
                        "demo: an embedded ClickHouse is serving "
                                + dir
                                + " (a bin/depthflow dashboard or sql on it?); stop it first, or give another --data-dir");
            }
            for (Path child : children) {
                try (Stream<Path> walk = Files.walk(child)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.writeString(
                    dir.resolve(MARKER),
                    "a bin/depthflow demo directory: emptied at every demo start\n");
        } catch (IOException e) {
            throw new CommandException("demo: cannot empty " + dir + ": " + Messages.cause(e));
        }
    }
}
