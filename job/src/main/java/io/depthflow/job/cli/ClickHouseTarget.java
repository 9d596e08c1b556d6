package io.depthflow.job.cli;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.embedded.EmbeddedClickHouse;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The ClickHouse a command talks to: a server given by JDBC URL, or the embedded ClickHouse on a
 * data directory — reusing one that is already running there (e.g. {@code sql} while {@code run}
 * is running), else starting one that this target owns and stops on {@link #close()}.
 */
final class ClickHouseTarget implements AutoCloseable {

    private final String jdbcUrl;
    private final EmbeddedClickHouse owned;

    private ClickHouseTarget(String jdbcUrl, EmbeddedClickHouse owned) {
        this.jdbcUrl = jdbcUrl;
        this.owned = owned;
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
            progress.println("depthflow: starting the embedded ClickHouse on " + dataDir.toAbsolutePath());
            EmbeddedClickHouse server = EmbeddedClickHouse.start(dataDir);
            return new ClickHouseTarget(server.jdbcUrl(), server);
        } catch (IOException e) {
            throw new CommandException("cannot start the embedded ClickHouse on " + dataDir + ": " + e.getMessage());
        }
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The HTTP endpoint behind a {@code jdbc:clickhouse://host:port/db?...} URL, with the
     * database as a query parameter: {@code http://host:port/?database=db}.
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
            throw new CommandException("not a ClickHouse JDBC URL: " + ClickHouseSinkOptions.redact(jdbcUrl));
        }
        String url = (https ? "https://" : "http://") + hostPort + "/" + (db.isEmpty() ? "" : "?database=" + db);
        try {
            URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new CommandException("not a ClickHouse JDBC URL: " + ClickHouseSinkOptions.redact(jdbcUrl));
        }
        return url;
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
