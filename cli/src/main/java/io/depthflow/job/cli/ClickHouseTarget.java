package io.depthflow.job.cli;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.embedded.EmbeddedClickHouse;
import io.depthflow.job.options.CommandModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The ClickHouse a command talks to: a server given by JDBC URL, or the embedded ClickHouse on a
 * data directory — reusing one that is already running there (e.g. {@code sql} while {@code run} is
 * running), else starting one that this target owns and stops on {@link #close()}.
 */
final class ClickHouseTarget implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseTarget.class);
    private static final long WATCH_EVERY_MS = 1_000;
    private static final long RETRY_MAX_MS = 30_000;

    private final String jdbcUrl;
    private volatile EmbeddedClickHouse owned;
    private volatile boolean closed;
    private Thread supervisor;

    private ClickHouseTarget(String jdbcUrl, EmbeddedClickHouse owned) {
        this.jdbcUrl = jdbcUrl;
        this.owned = owned;
    }

    /**
     * The options that choose the target, {@code --clickhouse-url URL} or {@code --data-dir DIR}
     * (one of them), for a command's model.
     */
    static void options(CommandSpec s) {
        CommandModel.value(
                s,
                "--clickhouse-url",
                "URL",
                "a ClickHouse JDBC URL; user/password from CLICKHOUSE_USER / CLICKHOUSE_PASSWORD"
                        + " (or CLICKHOUSE_PASSWORD_FILE, a file holding the password)");
        CommandModel.value(
                s,
                "--data-dir",
                "DIR",
                "the embedded ClickHouse's data directory (default ./data); a running"
                        + " 'bin/depthflow run' on the same directory is reused");
    }

    static ClickHouseTarget open(String clickhouseUrl, Path dataDir, PrintStream progress)
            throws CommandException {
        if (clickhouseUrl != null) {
            return new ClickHouseTarget(clickhouseUrl, null);
        }
        Optional<String> running = EmbeddedClickHouse.runningServerUrl(dataDir);
        if (running.isPresent()) {
            return new ClickHouseTarget(running.get(), null);
        }
        try {
            Files.createDirectories(dataDir);
            progress.println(
                    "depthflow: starting the embedded ClickHouse on " + dataDir.toAbsolutePath());
            EmbeddedClickHouse server = EmbeddedClickHouse.start(dataDir);
            return new ClickHouseTarget(server.jdbcUrl(), server);
        } catch (IOException e) {
            throw new CommandException(
                    "cannot start the embedded ClickHouse on " + dataDir + ": " + e.getMessage());
        }
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The HTTP endpoint behind a {@code jdbc:clickhouse://host:port/db?...} URL, with the database
     * as a query parameter: {@code http://host:port/?database=db}.
     */
    static String httpUrl(String jdbcUrl) throws CommandException {
        String rest = jdbcUrl.replaceFirst("^jdbc:(clickhouse|ch):", "");
        boolean https = rest.startsWith("https:") || jdbcUrl.contains("ssl=true");
        rest = rest.replaceFirst("^(https?:)?//", "");
        int q = rest.indexOf('?');
        String hostPortDb = q < 0 ? rest : rest.substring(0, q);
        int slash = hostPortDb.indexOf('/');
        String hostPort = slash < 0 ? hostPortDb : hostPortDb.substring(0, slash);
        String db = slash < 0 ? "" : hostPortDb.substring(slash + 1);
        if (hostPort.isEmpty()) {
            throw new CommandException(
                    "not a ClickHouse JDBC URL: " + ClickHouseSinkOptions.redact(jdbcUrl));
        }
        String url =
                (https ? "https://" : "http://")
                        + hostPort
                        + "/"
                        + (db.isEmpty() ? "" : "?database=" + db);
        try {
            URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new CommandException(
                    "not a ClickHouse JDBC URL: " + ClickHouseSinkOptions.redact(jdbcUrl));
        }
        return url;
    }

    /**
     * Keeps an embedded ClickHouse this target started running: when its process dies (a crash, an
     * OOM kill, {@code kill -9}), it is started again on the same data directory and port, so the
     * job's sinks reconnect to the same URL and catch up with what they buffered. One line on
     * {@code terminal} per event; a server that will not start is retried with a growing delay (up
     * to 30 s). Does nothing for a server given by URL or owned by another process.
     */
    synchronized void supervise(PrintStream terminal) {
        if (owned == null || supervisor != null) {
            return;
        }
        supervisor = new Thread(() -> watch(terminal), "depthflow-clickhouse-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    private void watch(PrintStream terminal) {
        long retryMs = WATCH_EVERY_MS;
        while (!closed) {
            try {
                Thread.sleep(WATCH_EVERY_MS);
                EmbeddedClickHouse server = owned;
                if (closed || server.isAlive()) {
                    continue;
                }
                long downSince = System.currentTimeMillis();
                terminal.println(
                        "depthflow: "
                                + JobEvents.TIME.format(java.time.Instant.ofEpochMilli(downSince))
                                + " the embedded ClickHouse (pid "
                                + server.pid()
                                + ") exited with code "
                                + server.exitCode()
                                + "; restarting it on "
                                + server.dataDir()
                                + ", port "
                                + server.port()
                                + " (rows wait in the job until it is back)");
                while (!closed) {
                    try {
                        EmbeddedClickHouse restarted =
                                EmbeddedClickHouse.start(
                                        server.dataDir(),
                                        System.getProperty("java.class.path"),
                                        server.port());
                        owned = restarted;
                        terminal.println(
                                "depthflow: "
                                        + JobEvents.TIME.format(java.time.Instant.now())
                                        + " the embedded ClickHouse is back (pid "
                                        + restarted.pid()
                                        + ", down "
                                        + (System.currentTimeMillis() - downSince) / 1000
                                        + " s)");
                        retryMs = WATCH_EVERY_MS;
                        break;
                    } catch (IOException e) {
                        LOG.warn(
                                "Restarting the embedded ClickHouse on {} failed",
                                server.dataDir(),
                                e);
                        terminal.println(
                                "depthflow: "
                                        + JobEvents.TIME.format(java.time.Instant.now())
                                        + " the embedded ClickHouse did not start ("
                                        + Main.rootMessage(e).lines().findFirst().orElse("")
                                        + "); trying again in "
                                        + retryMs / 1000
                                        + " s (details in the log)");
                        Thread.sleep(retryMs);
                        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread s;
        synchronized (this) {
            s = supervisor;
        }
        if (s != null) {
            s.interrupt();
            try {
                s.join(70_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (owned != null) {
            owned.close();
        }
    }
}
