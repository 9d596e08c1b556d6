package io.depthflow.clickhouse.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts and stops a local ClickHouse: a {@link ChdbHttpServer} in a child JVM on a data directory.
 * Used by the CLI ({@code run}, {@code sql}) and by tests.
 *
 * <pre>{@code
 * try (EmbeddedClickHouse clickHouse = EmbeddedClickHouse.start(Path.of("data/clickhouse"))) {
 *     try (Connection c = DriverManager.getConnection(clickHouse.jdbcUrl())) { ... }
 * }
 * }</pre>
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #start} first makes sure the engine library is there ({@link ChdbLibrary#locate()},
 *       which may fetch it once, visibly), then spawns {@code java} from {@code java.home} with
 *       {@code LD_PRELOAD=<java.home>/lib/server/libjsig.so} (signal chaining, without which the
 *       engine hangs the JVM), {@code -Xmx512m}, TCP_NODELAY, and the current JVM's class path
 *       unless one is given. It returns once the child printed {@code READY port=N}, or fails with
 *       the tail of the child's output.
 *   <li>The child's stdout and stderr are appended to {@code <dataDir>/clickhouse-server.log}.
 *   <li>While it runs, the server advertises itself in {@code <dataDir>/.depthflow-clickhouse} (pid
 *       and port). A data directory can be opened by one process only, so a second depthflow
 *       process should call {@link #runningServerUrl(Path)} first and reuse that server.
 *   <li>The child exits when this JVM dies (it watches its stdin, a pipe from this process), so an
 *       aborted test run leaves no server behind.
 *   <li>{@link #close()} sends SIGTERM, waits up to 10 s, then kills the child.
 * </ul>
 */
public final class EmbeddedClickHouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClickHouse.class);

    /** The log file of the server inside the data directory. */
    public static final String LOG_FILE = "clickhouse-server.log";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern READY = Pattern.compile("^READY port=(\\d+)$", Pattern.MULTILINE);
    private static final int LOG_TAIL_CHARS = 4000;

    private final Process process;
    private final Path dataDir;
    private final int port;

    private EmbeddedClickHouse(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a server on {@code dataDir} (created if missing) with this JVM's class path. */
    public static EmbeddedClickHouse start(Path dataDir) throws IOException {
        return start(dataDir, System.getProperty("java.class.path"));
    }

    /**
     * Starts a server on {@code dataDir} (created if missing) whose JVM uses {@code classPath}; it
     * must hold this module's classes, JNA and slf4j-api.
     */
    public static EmbeddedClickHouse start(Path dataDir, String classPath) throws IOException {
        return start(dataDir, classPath, 0);
    }

    /**
     * Starts a server on {@code dataDir} listening on {@code port} (0: any free port), e.g. to
     * start a stopped server again where its clients expect it.
     */
    public static EmbeddedClickHouse start(Path dataDir, int port) throws IOException {
        return start(dataDir, System.getProperty("java.class.path"), port);
    }

    /**
     * Starts a server on {@code dataDir} listening on {@code port} (0: any free port); a supervisor
     * restarting a server that died gives the old port, so that the JDBC URL its clients hold still
     * works.
     */
    public static EmbeddedClickHouse start(Path dataDir, String classPath, int port)
            throws IOException {
        Path lib = ChdbLibrary.locate();
        Path dir = dataDir.toAbsolutePath();
        Files.createDirectories(dir);
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path jsig = javaHome.resolve("lib").resolve("server").resolve("libjsig.so");
        if (!Files.isRegularFile(jsig)) {
            throw new IOException(
                    "The embedded ClickHouse needs "
                            + jsig
                            + " (signal chaining) and this JVM has none; use a full JDK/JRE 17+");
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-Dsun.net.httpserver.nodelay=true");
        command.add("-cp");
        command.add(classPath);
        command.add(ChdbHttpServer.class.getName());
        command.add("--path=" + dir);
        command.add("--port=" + port);
        command.add("--lib=" + lib);
        command.add("--exit-on-stdin-eof");

        Path log = dir.resolve(LOG_FILE);
        long logOffset = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        String preload = env.get("LD_PRELOAD");
        env.put(
                "LD_PRELOAD",
                preload == null || preload.isBlank() ? jsig.toString() : jsig + ":" + preload);
        long started = System.nanoTime();
        Process process = builder.start();
        // stdin stays open: the child treats its EOF as this JVM having died.
        try {
            int actualPort = awaitReady(process, log, logOffset);
            LOG.info(
                    "Embedded ClickHouse on {} is up at http://127.0.0.1:{}/ (pid {}, {} ms)",
                    dir,
                    actualPort,
                    process.pid(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new EmbeddedClickHouse(process, dir, actualPort);
        } catch (IOException | RuntimeException e) {
            stop(process);
            throw e;
        }
    }

    private static int awaitReady(Process process, Path log, long logOffset) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String output = readFrom(log, logOffset);
            Matcher ready = READY.matcher(output);
            if (ready.find()) {
                return Integer.parseInt(ready.group(1));
            }
            if (!process.isAlive()) {
                throw new IOException(
                        "The embedded ClickHouse server exited with code "
                                + process.exitValue()
                                + " before it was ready. Its output ("
                                + log
                                + "):\n"
                                + tail(output));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "The embedded ClickHouse server was not ready within "
                                + START_TIMEOUT.toSeconds()
                                + " s. Its output ("
                                + log
                                + "):\n"
                                + tail(output));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for the embedded ClickHouse", e);
            }
        }
    }

    /**
     * The JDBC URL of a server already running on {@code dataDir} (its pid is alive and it answers
     * {@code /ping}), or empty when there is none.
     */
    public static Optional<String> runningServerUrl(Path dataDir) {
        Path info = dataDir.toAbsolutePath().resolve(ChdbHttpServer.INFO_FILE);
        if (!Files.isRegularFile(info)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(info)) {
            properties.load(in);
            long pid = Long.parseLong(properties.getProperty("pid", "").trim());
            int port = Integer.parseInt(properties.getProperty("port", "").trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive && ping(port) ? Optional.of(jdbcUrl(port)) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            LOG.debug("Ignoring unreadable {}", info, e);
            return Optional.empty();
        }
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The JDBC URL for the official ClickHouse driver; {@code compress=0} is required. */
    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    /** The HTTP URL ({@code http://127.0.0.1:PORT/}), for curl and Grafana. */
    public String httpUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** The data directory this server owns. */
    public Path dataDir() {
        return dataDir;
    }

    /** The pid of the server process. */
    public long pid() {
        return process.pid();
    }

    /**
     * Whether the server process is still running (false after a crash, a kill or {@link
     * #close()}).
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The exit code of a server process that is no longer running (128 + N: killed by signal N).
     */
    public int exitCode() {
        return process.exitValue();
    }

    /** Stops the server: SIGTERM, up to 10 s for a clean shutdown, then SIGKILL. */
    @Override
    public void close() {
        stop(process);
        try {
            // the server deletes it itself unless it was killed
            Files.deleteIfExists(dataDir.resolve(ChdbHttpServer.INFO_FILE));
        } catch (IOException e) {
            LOG.warn("Could not delete {}", dataDir.resolve(ChdbHttpServer.INFO_FILE), e);
        }
        LOG.info("Embedded ClickHouse on {} stopped", dataDir);
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "Embedded ClickHouse (pid {}) ignored SIGTERM for {} s; killing it",
                        process.pid(),
                        STOP_TIMEOUT.toSeconds());
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String jdbcUrl(int port) {
        return "jdbc:clickhouse://127.0.0.1:" + port + "/default?compress=0";
    }

    private static boolean ping(int port) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection)
                            URI.create("http://127.0.0.1:" + port + "/ping")
                                    .toURL()
                                    .openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try (InputStream in = connection.getInputStream()) {
                return connection.getResponseCode() == 200
                        && new String(in.readAllBytes(), StandardCharsets.UTF_8).startsWith("Ok.");
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static String readFrom(Path log, long offset) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static String tail(String output) {
        return output.length() <= LOG_TAIL_CHARS
                ? output
                : "..." + output.substring(output.length() - LOG_TAIL_CHARS);
    }
}
