package io.depthflow.job.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Prints the per-minute table of {@code bin/depthflow run} by reading the BI views back from
 * ClickHouse, so what the terminal shows is exactly what Grafana and SQL users see. A window is
 * printed once its cross-exchange row (or a later minute's) has been seen on two consecutive polls
 * (or at the end), so the best-venue rows written by a sibling sink have landed too; a minute with
 * errors only waits until rows of two minutes later exist. Each minute is printed once, and again,
 * marked {@code (updated)}, when rows that land later (after a ClickHouse outage every sink catches
 * up at its own pace) change what it shows. The
 * {@code errors} column counts the minute's {@code ingest_errors} rows for the market (failed
 * polls, bad payloads, late data, a gap's first minute). The {@code completeness} column reads
 * {@code mid_price_1m} (its winning rows, those the BI views show, and the rows of minutes without
 * data, which the views leave out): {@code complete}, or per exchange what the minute lacked:
 * {@code kraken 2/3 polls}, {@code kraken 41.2 s usable (disconnected)}, {@code kraken no data
 * (no_data)}, and {@code all over coinbase only (1 of 2 exchanges)}.
 */
final class MinuteTablePrinter {

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final String HEADER =
            String.format("%-17s %-8s %16s %16s %16s   %-26s %-26s %6s  %s",
                    "window (UTC)", "market", "coinbase mid", "kraken mid", "all mid", "best $50k buy", "best $50k sell", "errors",
                    "completeness");

    private final String jdbcUrl;
    private final Properties auth;
    private final PrintStream out;
    private long printedUpTo;
    private final Map<Long, Integer> seen = new TreeMap<>();
    /** What was printed of the recent minutes (mids, best venues, completeness), by window. */
    private final TreeMap<Long, String> printed = new TreeMap<>();
    private boolean headerPrinted;

    MinuteTablePrinter(String jdbcUrl, Properties auth, PrintStream out) {
        this(jdbcUrl, auth, out, Long.MIN_VALUE);
    }

    /**
     * @param firstMinute the first window to print (epoch ms, a minute's start): a live run shows
     *     its own minutes, not those an earlier run left in the same database; {@link
     *     Long#MIN_VALUE} prints every minute (a replay's are in the past)
     */
    MinuteTablePrinter(String jdbcUrl, Properties auth, PrintStream out, long firstMinute) {
        this(jdbcUrl, auth, out, firstMinute, Long.MIN_VALUE);
    }

    /**
     * @param writtenSince wall-clock ms: only the minutes and markets this run wrote rows of from
     *     then on are printed (a row's write time is the low 42 bits of its {@code version}), so a
     *     replay or a raw-log rebuild shows what it wrote, not every minute already in the
     *     database; {@link Long#MIN_VALUE} for no such bound
     */
    MinuteTablePrinter(String jdbcUrl, Properties auth, PrintStream out, long firstMinute, long writtenSince) {
        this.jdbcUrl = jdbcUrl;
        this.auth = auth;
        this.out = out;
        this.printedUpTo = firstMinute == Long.MIN_VALUE ? Long.MIN_VALUE : firstMinute - 60_000;
        this.writtenSince = writtenSince;
    }

    private final long writtenSince;

    /**
     * How far back a printed minute is read again: rows of a minute can land after it was printed
     * (after a ClickHouse outage every sink writes its backlog at its own pace), and the minute is
     * then printed again, marked {@code (updated)}, once what it shows changed.
     */
    static final long LOOKBACK_MS = 15 * 60_000L;

    /** One poll; {@code flushAll} prints every window present (used when the job has ended). */
    void poll(boolean flushAll) throws SQLException {
        TreeMap<Long, Map<String, Row>> windows = new TreeMap<>();
        long from = printedUpTo == Long.MIN_VALUE ? Long.MIN_VALUE : printedUpTo - LOOKBACK_MS;
        String since = from == Long.MIN_VALUE ? "" :
                " WHERE window_start > fromUnixTimestamp64Milli(toInt64(" + from + "))";
        // rows this run wrote: their minutes and markets are the ones printed
        String mine = writtenSince == Long.MIN_VALUE ? "1"
                : "bitAnd(version, " + UnreachableVenues.WRITE_TIME_MASK + ") >= " + writtenSince;
        java.util.Set<String> written = new java.util.HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, auth); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT toUnixTimestamp64Milli(window_start), market, exchange, toString(mid) FROM bi_mid_price_1m"
                            + since)) {
                while (rs.next()) {
                    Row r = windows.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new Row());
                    r.mids.put(rs.getString(3), new BigDecimal(rs.getString(4)));
                }
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT toUnixTimestamp64Milli(window_start), market, exchange, samples, expected_samples, good_ms,"
                            + " book_status, arrayStringConcat(exchanges, ','), length(exchanges), expected_exchanges, " + mine
                            + " FROM mid_price_1m FINAL" + since
                            + " ORDER BY exchange = 'all', exchange")) {
                while (rs.next()) {
                    if (rs.getBoolean(11)) {
                        written.add(rs.getLong(1) + "|" + rs.getString(2));
                    }
                    Row r = windows.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new Row());
                    String lack = "all".equals(rs.getString(3))
                            ? (rs.getLong(9) > 0 && rs.getLong(9) < rs.getLong(10)
                                    ? "all over " + rs.getString(8) + " only (" + rs.getLong(9) + " of " + rs.getLong(10) + " exchanges)"
                                    : null)
                            : lack(rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getString(7));
                    r.observed = true;
                    if (lack != null) {
                        r.lacks.add(lack);
                    }
                }
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT toUnixTimestamp64Milli(window_start), market, side, exchange, toString(avg_price)"
                            + " FROM bi_best_execution_1m"
                            + (since.isEmpty() ? " WHERE" : since + " AND")
                            + " notional = 50000")) {
                while (rs.next()) {
                    Row r = windows.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new Row());
                    String v = rs.getString(4) + " @ " + display(new BigDecimal(rs.getString(5)));
                    if ("buy".equals(rs.getString(3))) {
                        r.bestBuy = v;
                    } else {
                        r.bestSell = v;
                    }
                }
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT toUnixTimestamp(toStartOfMinute(received_at)) * 1000 AS w, market, count(), max(" + mine + ")"
                            + " FROM ingest_errors FINAL"
                            + (from == Long.MIN_VALUE ? "" : " WHERE received_at >= fromUnixTimestamp64Milli(toInt64(" + (from + 60_000) + "))")
                            + " GROUP BY w, market")) {
                while (rs.next()) {
                    if (rs.getBoolean(4)) {
                        written.add(rs.getLong(1) + "|" + rs.getString(2));
                    }
                    windows.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new Row()).errors = rs.getLong(3);
                }
            }
        }
        if (writtenSince != Long.MIN_VALUE) {
            windows.forEach((w, markets) -> markets.keySet().removeIf(m -> !written.contains(w + "|" + m)));
            windows.values().removeIf(Map::isEmpty);
        }
        for (Map.Entry<Long, Map<String, Row>> w : windows.headMap(printedUpTo, true).entrySet()) {
            String before = printed.get(w.getKey());
            if (before != null && !before.equals(shown(w.getValue()))) {
                print(w.getKey(), w.getValue(), "  (updated)");
            }
        }
        printed.headMap(printedUpTo - LOOKBACK_MS, true).clear();
        for (Map.Entry<Long, Map<String, Row>> w : windows.tailMap(printedUpTo, false).entrySet()) {
            // A minute is ready once its cross-exchange row, or a later minute's, has been seen on
            // two polls: windows close in order. A minute no book made a mid for (all errors) is
            // ready once rows of two minutes later exist. Error rows of the next minute alone say
            // nothing: they land as they happen, while this minute's window is still closing.
            long minute = w.getKey();
            boolean hasAll = windows.tailMap(minute, true).values().stream()
                    .anyMatch(m -> m.values().stream().anyMatch(r -> r.mids.containsKey("all")));
            boolean muchLater = windows.ceilingKey(minute + 2 * 60_000) != null;
            int polls = hasAll || muchLater ? seen.merge(minute, 1, Integer::sum) : 0;
            if (!flushAll && polls < 2) {
                break; // print in window order only
            }
            print(w.getKey(), w.getValue(), "");
            printedUpTo = w.getKey();
            seen.remove(w.getKey());
        }
    }

    private void print(long window, Map<String, Row> markets, String mark) {
        if (!headerPrinted) {
            out.println(HEADER);
            headerPrinted = true;
        }
        markets.forEach((market, r) -> out.println(String.format("%-17s %-8s %16s %16s %16s   %-26s %-26s %6d  %s",
                MINUTE.format(Instant.ofEpochMilli(window)), market,
                mid(r, "coinbase"), mid(r, "kraken"), mid(r, "all"),
                r.bestBuy == null ? "-" : r.bestBuy, r.bestSell == null ? "-" : r.bestSell, r.errors,
                completeness(r)) + mark));
        out.flush();
        printed.put(window, shown(markets));
    }

    private static String completeness(Row r) {
        return !r.observed ? "-" : r.lacks.isEmpty() ? "complete" : String.join(", ", r.lacks);
    }

    /**
     * What a minute's rows show that decides whether it is printed again: mids, best venues and
     * completeness. Not the error count: error rows land as they happen, and a count that grows
     * is no reason to print a minute twice.
     */
    private static String shown(Map<String, Row> markets) {
        StringBuilder b = new StringBuilder();
        markets.forEach((market, r) -> b.append(market).append(' ').append(r.mids).append(' ')
                .append(r.bestBuy).append(' ').append(r.bestSell).append(' ').append(completeness(r)).append('\n'));
        return b.toString();
    }

    /** What one exchange's minute lacked, or null when it is complete (or nothing tells). */
    static String lack(String exchange, long samples, long expected, long goodMs, String status) {
        boolean flagged = status != null && !status.isEmpty() && !"ok".equals(status);
        if (samples == 0) {
            return exchange + " no data" + (flagged ? " (" + status + ")" : "");
        }
        if (goodMs > 0 && (goodMs < 60_000 || flagged)) {
            return exchange + " " + BigDecimal.valueOf(goodMs, 3).setScale(1, RoundingMode.DOWN).toPlainString()
                    + " s usable" + (flagged ? " (" + status + ")" : "");
        }
        if (expected > 0 && samples < expected) {
            return exchange + " " + samples + "/" + expected + " polls";
        }
        return flagged ? exchange + " " + status : null;
    }

    private static String mid(Row r, String exchange) {
        BigDecimal m = r.mids.get(exchange);
        return m == null ? "-" : display(m);
    }

    private static String display(BigDecimal v) {
        return v.setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static final class Row {
        final Map<String, BigDecimal> mids = new TreeMap<>();
        String bestBuy;
        String bestSell;
        long errors;
        boolean observed;
        final java.util.List<String> lacks = new java.util.ArrayList<>();
    }
}
