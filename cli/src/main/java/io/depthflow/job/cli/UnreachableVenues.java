package io.depthflow.job.cli;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * One terminal line per venue that a live {@code run} cannot reach: {@code coinbase unreachable:
 * GET https://...: unknown host (no DNS answer); no internet? try bin/depthflow demo}. Without it
 * an offline run shows only a table of {@code -} and an error count, the cause being in the log
 * file. Told once per venue and run, not per failed poll or reconnect attempt.
 *
 * <p>Read back from ClickHouse like the minute table ({@link MinuteTablePrinter}), so it needs no
 * hook into the sources: a venue is unreachable when this run wrote connection failures for it
 * ({@code transport} rows of failed polls, {@code disconnected} rows of a WebSocket connection that
 * failed to open) and no book of it yet ({@code order_book_slices}). "This run" is a row's write
 * time, the low 42 bits of its {@code version} (V003), at or after the run's start.
 */
final class UnreachableVenues {

    /** The write-time bits of a row's version: {@code version = rank << 42 | write time (ms)}. */
    static final long WRITE_TIME_MASK = (1L << 42) - 1;

    private final String jdbcUrl;
    private final Properties auth;
    private final PrintStream err;
    private final long sinceMs;
    private final boolean suggestDemo;
    private final Set<String> told = new HashSet<>();

    /**
     * @param sinceMs the run's start, wall clock (rows written from then on are this run's)
     * @param suggestDemo whether the line points to {@code bin/depthflow demo} (the run polls the
     *     real exchanges, not a simulator)
     */
    UnreachableVenues(
            String jdbcUrl, Properties auth, PrintStream err, long sinceMs, boolean suggestDemo) {
        this.jdbcUrl = jdbcUrl;
        this.auth = auth;
        this.err = err;
        this.sinceMs = sinceMs;
        this.suggestDemo = suggestDemo;
    }

    /** Tells the venues found unreachable since the last call. */
    void poll() throws SQLException {
        String mine = "bitAnd(version, " + WRITE_TIME_MASK + ") >= " + sinceMs;
        String detail = "JSONExtractString(payload, 'detail')";
        String sql =
                "SELECT exchange, argMin(if(error_type = 'transport', error, "
                        + detail
                        + "), received_at)"
                        + " FROM ingest_errors"
                        + " WHERE "
                        + mine
                        + " AND (error_type = 'transport' OR (error_type = 'disconnected' AND "
                        + detail
                        + " LIKE 'connect failed%'))"
                        + " AND exchange NOT IN (SELECT DISTINCT exchange FROM order_book_slices WHERE "
                        + mine
                        + ")"
                        + " GROUP BY exchange ORDER BY exchange";
        try (Connection c = DriverManager.getConnection(jdbcUrl, auth);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String exchange = rs.getString(1);
                if (told.add(exchange)) {
                    err.println("depthflow: " + line(exchange, rs.getString(2), suggestDemo));
                }
            }
        }
    }

    /** {@code coinbase unreachable: GET URL: unknown host (no DNS answer); no internet? ...}. */
    static String line(String exchange, String error, boolean suggestDemo) {
        String cause =
                error == null
                        ? ""
                        : error.startsWith(exchange + ": ")
                                ? error.substring(exchange.length() + 2)
                                : error;
        return exchange
                + " unreachable: "
                + Messages.oneLine(Messages.transportError(cause))
                + (suggestDemo
                        ? "; no internet? try bin/depthflow demo (the bundled exchange simulator)"
                        : "")
                + "; the run keeps trying";
    }
}
