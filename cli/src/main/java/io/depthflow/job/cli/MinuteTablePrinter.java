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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prints the per-minute table of {@code bin/depthflow run} by reading the BI views back from
 * ClickHouse, so what the terminal shows is exactly what Grafana and SQL users see. A window is
 * printed once its cross-exchange row (or a later minute's) has been seen on two consecutive polls
 * (or at the end), so the best-venue rows written by a sibling sink have landed too; a minute with
 * errors only waits until rows of two minutes later exist. Each minute is printed once, and again,
 * marked {@code (updated)}, when rows that land later (after a ClickHouse outage every sink catches
 * up at its own pace) change what it shows.
 *
 * <p>Layout: one line per minute, market and venue, the venues taken from the data (any number of
 * them, names not known here), then the market's {@code all} line; a connection's own errors (a
 * WebSocket disconnect, no market) get a line whose market reads {@code (connection)}. The columns
 * are a list ({@link #COLUMNS}): a new one is a header, a width and a value. {@code mid} is the
 * minute's average of (bid + ask) / 2 (time-weighted in stream mode); {@code bid}, {@code ask} and
 * the $50k prices are of the minute's last book (its end); on the {@code all} line the $50k columns
 * name the best venue. {@code errors} counts the minute's {@code ingest_errors} rows of the venue
 * and market (failed polls, bad payloads, late data, a gap's first minute). {@code completeness}
 * reads {@code mid_price_1m} (its winning rows and the rows of minutes without data, which the
 * views leave out): {@code complete}, or what the venue's minute lacked: {@code 2/3 polls}, {@code
 * 41.2 s usable (disconnected)}, {@code no data (no_data)}, and on the {@code all} line {@code over
 * coinbase only (1 of 2 exchanges)}. The routed column ({@link RoutedCell}), on the {@code all}
 * line, shows the $50k order split across every venue, fees included, and what the split saves
 * against the best single venue.
 */
final class MinuteTablePrinter {

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /** The quote notional the table shows. */
    static final long NOTIONAL = 50_000;

    static final String ALL = "all";
    static final String CONNECTION = "(connection)";

    static final String LEGEND =
            "mid = the minute's average of (bid+ask)/2, time-weighted in stream mode;"
                    + " bid, ask and $50k buy/sell average prices = the minute's last book; all = the best venue;"
                    + " routed = the $50k order split across all venues, taker fees included, and what that saves against the best single venue";

    /** One printed line: a venue of a market in a minute (or the market's all line). */
    private static final class Line {
        String minute;
        String market;
        String venue;
        Venue v;
        Row r;
    }

    /** A column of the table: header, width, right-aligned or not, and its value on a line. */
    private record Column(
            String header,
            int width,
            boolean right,
            java.util.function.Function<Line, String> value) {
        String cell(String text) {
            if (width == 0) {
                return text;
            }
            return right
                    ? String.format("%" + width + "s", text)
                    : String.format("%-" + width + "s", text);
        }
    }

    private static final List<Column> COLUMNS =
            List.of(
                    new Column("minute (UTC)", 16, false, l -> l.minute),
                    new Column("market", 12, false, l -> l.market),
                    new Column("venue", 9, false, l -> l.venue),
                    new Column("mid (avg)", 12, true, l -> price(l.v.mid)),
                    new Column("bid (end)", 12, true, l -> price(l.v.bid)),
                    new Column("ask (end)", 12, true, l -> price(l.v.ask)),
                    new Column(
                            "$50k buy (end)",
                            20,
                            true,
                            l -> ALL.equals(l.venue) ? l.r.bestBuy : l.v.buy),
                    new Column(
                            "$50k sell (end)",
                            20,
                            true,
                            l -> ALL.equals(l.venue) ? l.r.bestSell : l.v.sell),
                    new Column(
                            RoutedCell.HEADER,
                            RoutedCell.WIDTH,
                            true,
                            l ->
                                    ALL.equals(l.venue)
                                            ? RoutedCell.cell(l.r.routedBuy, l.r.routedSell)
                                            : ""),
                    new Column(
                            "errors",
                            6,
                            true,
                            l ->
                                    l.v.errors == 0 && ALL.equals(l.venue)
                                            ? ""
                                            : String.valueOf(l.v.errors)),
                    new Column(
                            "completeness",
                            0,
                            false,
                            l -> !l.v.observed ? "-" : l.v.lack == null ? "complete" : l.v.lack));

    /** The column header line (after the legend). */
    static final String HEADER = line(COLUMNS.stream().map(Column::header).toList());

    private static String line(List<String> texts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (i > 0) {
                b.append("  ");
            }
            b.append(COLUMNS.get(i).cell(texts.get(i)));
        }
        return b.toString().stripTrailing();
    }

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
    MinuteTablePrinter(
            String jdbcUrl, Properties auth, PrintStream out, long firstMinute, long writtenSince) {
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
        String since =
                from == Long.MIN_VALUE
                        ? ""
                        : " WHERE window_start > fromUnixTimestamp64Milli(toInt64(" + from + "))";
        // rows this run wrote: their minutes and markets are the ones printed
        String mine =
                writtenSince == Long.MIN_VALUE
                        ? "1"
                        : "bitAnd(version, "
                                + UnreachableVenues.WRITE_TIME_MASK
                                + ") >= "
                                + writtenSince;
        Set<String> written = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, auth);
                Statement st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT toUnixTimestamp64Milli(window_start), market, exchange, toString(mid) FROM bi_mid_price_1m"
                                    + since)) {
                while (rs.next()) {
                    row(windows, rs.getLong(1), rs.getString(2)).venue(rs.getString(3)).mid =
                            new BigDecimal(rs.getString(4));
                }
            }
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT toUnixTimestamp64Milli(window_start), market, exchange, samples, expected_samples, good_ms,"
                                    + " book_status, arrayStringConcat(exchanges, ','), length(exchanges), expected_exchanges, 0"
                                    + ", toString(best_bid), toString(best_ask)"
                                    + " FROM mid_price_1m FINAL"
                                    + since)) {
                while (rs.next()) {
                    Venue v = row(windows, rs.getLong(1), rs.getString(2)).venue(rs.getString(3));
                    v.observed = true;
                    if (ALL.equals(rs.getString(3))) {
                        v.lack =
                                rs.getLong(9) > 0 && rs.getLong(9) < rs.getLong(10)
                                        ? "over "
                                                + rs.getString(8)
                                                + " only ("
                                                + rs.getLong(9)
                                                + " of "
                                                + rs.getLong(10)
                                                + " exchanges)"
                                        : null;
                    } else {
                        v.lack = lack(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getString(7));
                        if (rs.getLong(4) > 0) {
                            v.bid = new BigDecimal(rs.getString(12));
                            v.ask = new BigDecimal(rs.getString(13));
                        }
                    }
                }
            }
            if (writtenSince != Long.MIN_VALUE) {
                // any row this run wrote, also one that lost to a more complete row of an earlier
                // run (a replay of part of a minute a live run saw whole): the minute is printed,
                // with what the views hold
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT DISTINCT toUnixTimestamp64Milli(window_start), market FROM mid_price_1m"
                                        + (since.isEmpty() ? " WHERE " : since + " AND ")
                                        + mine)) {
                    while (rs.next()) {
                        written.add(rs.getLong(1) + "|" + rs.getString(2));
                    }
                }
            }
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT toUnixTimestamp64Milli(window_start), market, exchange, side, complete, toString(avg_price)"
                                    + " FROM execution_quotes_1m FINAL"
                                    + (since.isEmpty() ? " WHERE" : since + " AND")
                                    + " notional = "
                                    + NOTIONAL)) {
                while (rs.next()) {
                    Venue v = row(windows, rs.getLong(1), rs.getString(2)).venue(rs.getString(3));
                    String price =
                            rs.getBoolean(5)
                                    ? display(new BigDecimal(rs.getString(6)))
                                    : "thin book";
                    if ("buy".equals(rs.getString(4))) {
                        v.buy = price;
                    } else {
                        v.sell = price;
                    }
                }
            }
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT toUnixTimestamp64Milli(window_start), market, side, exchange, toString(avg_price)"
                                    + " FROM bi_best_execution_1m"
                                    + (since.isEmpty() ? " WHERE" : since + " AND")
                                    + " notional = "
                                    + NOTIONAL)) {
                while (rs.next()) {
                    Row r = row(windows, rs.getLong(1), rs.getString(2));
                    String v = rs.getString(4) + " " + display(new BigDecimal(rs.getString(5)));
                    if ("buy".equals(rs.getString(3))) {
                        r.bestBuy = v;
                    } else {
                        r.bestSell = v;
                    }
                }
            }
            try (ResultSet rs = st.executeQuery(RoutedCell.sql(since))) {
                while (rs.next()) {
                    Row r = row(windows, rs.getLong(1), rs.getString(2));
                    if ("buy".equals(rs.getString(3))) {
                        r.routedBuy = RoutedCell.side(rs);
                    } else {
                        r.routedSell = RoutedCell.side(rs);
                    }
                }
            }
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT toUnixTimestamp(toStartOfMinute(received_at)) * 1000 AS w, market, exchange, count(), max("
                                    + mine
                                    + ")"
                                    + " FROM ingest_errors FINAL"
                                    + (from == Long.MIN_VALUE
                                            ? ""
                                            : " WHERE received_at >= fromUnixTimestamp64Milli(toInt64("
                                                    + (from + 60_000)
                                                    + "))")
                                    + " GROUP BY w, market, exchange")) {
                while (rs.next()) {
                    if (rs.getBoolean(5)) {
                        written.add(rs.getLong(1) + "|" + rs.getString(2));
                    }
                    row(windows, rs.getLong(1), rs.getString(2)).venue(rs.getString(3)).errors =
                            rs.getLong(4);
                }
            }
        }
        if (writtenSince != Long.MIN_VALUE) {
            windows.forEach(
                    (w, markets) -> markets.keySet().removeIf(m -> !written.contains(w + "|" + m)));
            windows.values().removeIf(Map::isEmpty);
        }
        for (Map.Entry<Long, Map<String, Row>> w : windows.headMap(printedUpTo, true).entrySet()) {
            String before = printed.get(w.getKey());
            if (before != null && !before.equals(shown(w.getKey(), w.getValue()))) {
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
            boolean hasAll =
                    windows.tailMap(minute, true).values().stream()
                            .anyMatch(
                                    m ->
                                            m.values().stream()
                                                    .anyMatch(
                                                            r ->
                                                                    r.venues.containsKey(ALL)
                                                                            && r.venues.get(ALL).mid
                                                                                    != null));
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

    private static Row row(TreeMap<Long, Map<String, Row>> windows, long window, String market) {
        return windows.computeIfAbsent(window, k -> new TreeMap<>())
                .computeIfAbsent(market, k -> new Row());
    }

    private void print(long window, Map<String, Row> markets, String mark) {
        if (!headerPrinted) {
            out.println(LEGEND);
            out.println(HEADER);
            headerPrinted = true;
        }
        for (List<String> cells : lines(window, markets, false)) {
            out.println(line(cells) + mark);
        }
        out.flush();
        printed.put(window, shown(window, markets));
    }

    /**
     * The cells of a minute's lines: per market (connection lines first) its venues in name order,
     * then {@code all} when there is anything to show for it; {@code withoutErrors} blanks the
     * error counts.
     */
    private static List<List<String>> lines(
            long window, Map<String, Row> markets, boolean withoutErrors) {
        List<List<String>> lines = new ArrayList<>();
        markets.forEach(
                (market, r) -> {
                    List<String> venues = new ArrayList<>(r.venues.keySet());
                    venues.remove(ALL);
                    Venue all = r.venues.get(ALL);
                    if (all != null || r.bestBuy != null || r.bestSell != null) {
                        venues.add(ALL);
                    }
                    for (String venue : venues) {
                        Venue v = r.venues.getOrDefault(venue, new Venue());
                        if (withoutErrors
                                && !v.observed
                                && v.mid == null
                                && v.buy == null
                                && v.sell == null) {
                            continue; // a line of errors only: a count that grows or appears is no
                            // change
                        }
                        Line l = new Line();
                        l.minute = MINUTE.format(Instant.ofEpochMilli(window));
                        l.market = market.isEmpty() ? CONNECTION : market;
                        l.venue = venue;
                        l.v = v;
                        l.r = r;
                        List<String> cells = new ArrayList<>();
                        for (Column c : COLUMNS) {
                            String text =
                                    c.header().equals("errors") && withoutErrors
                                            ? ""
                                            : c.value().apply(l);
                            cells.add(text == null ? "-" : text);
                        }
                        lines.add(cells);
                    }
                });
        return lines;
    }

    /**
     * What a minute's rows show that decides whether it is printed again: every cell but the error
     * counts, which land as they happen: a count that grows is no reason to print a minute twice.
     */
    private static String shown(long window, Map<String, Row> markets) {
        StringBuilder b = new StringBuilder();
        lines(window, markets, true).forEach(cells -> b.append(cells).append('\n'));
        return b.toString();
    }

    /** What one venue's minute lacked, or null when it is complete (or nothing tells). */
    static String lack(long samples, long expected, long goodMs, String status) {
        boolean flagged = status != null && !status.isEmpty() && !"ok".equals(status);
        if (samples == 0) {
            return "no data" + (flagged ? " (" + status + ")" : "");
        }
        if (goodMs > 0 && (goodMs < 60_000 || flagged)) {
            return BigDecimal.valueOf(goodMs, 3).setScale(1, RoundingMode.DOWN).toPlainString()
                    + " s usable"
                    + (flagged ? " (" + status + ")" : "");
        }
        if (expected > 0 && samples < expected) {
            return samples + "/" + expected + " polls";
        }
        return flagged ? status : null;
    }

    private static String price(BigDecimal v) {
        return v == null ? null : display(v);
    }

    private static String display(BigDecimal v) {
        return v.setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A market's minute: its venues (and {@code all}), and the best venues of the $50k quotes. */
    private static final class Row {
        final Map<String, Venue> venues = new TreeMap<>();
        String bestBuy;
        String bestSell;
        String routedBuy;
        String routedSell;

        Venue venue(String name) {
            return venues.computeIfAbsent(name, k -> new Venue());
        }
    }

    /** One venue's (or {@code all}'s) minute of a market. */
    private static final class Venue {
        BigDecimal mid;
        BigDecimal bid;
        BigDecimal ask;
        String buy;
        String sell;
        long errors;
        boolean observed;
        String lack;
    }
}
