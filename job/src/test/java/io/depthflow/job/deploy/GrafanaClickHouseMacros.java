package io.depthflow.job.deploy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL macros of Grafana's ClickHouse data source ({@code grafana-clickhouse-datasource} 4.x),
 * expanded as its backend expands them, so that the dashboard's SQL can be run without Grafana.
 *
 * <p>What is reproduced, from the plugin's {@code pkg/macros/macros.go} and the plugin SDK's {@code
 * data/sqlutil/macros.go} (its {@code Interpolate}):
 *
 * <ul>
 *   <li>The plugin's macros: {@code $__timeFilter(c)} → {@code c >= toDateTime(<from s>) AND c <=
 *       toDateTime(<to s>)}; {@code $__timeFilter_ms(c)} with {@code
 *       fromUnixTimestamp64Milli(<ms>)}; {@code $__fromTime}, {@code $__toTime} ({@code
 *       toDateTime(<s>)}), {@code $__fromTime_ms}, {@code $__toTime_ms}; {@code $__dateFilter(c)}
 *       with {@code toDate('YYYY-MM-DD')}; {@code $__dateTimeFilter(d, t)} and its alias {@code
 *       $__dt}; {@code $__timeInterval(c)} → {@code toStartOfInterval(toDateTime(c), INTERVAL <n>
 *       second)}; {@code $__timeInterval_ms(c)} → {@code toStartOfInterval(toDateTime64(c, 3),
 *       INTERVAL <n> millisecond)}; {@code $__interval_s} → {@code <n>}; intervals at least 1 s (1
 *       ms), whole numbers truncated.
 *   <li>The SDK's defaults for the names the plugin does not define: {@code $__timeFrom(c)}, {@code
 *       $__timeTo(c)} (RFC 3339 literals), {@code $__table}, {@code $__column}; {@code
 *       $__timeGroup} is refused (its default is SQL Server syntax, wrong for ClickHouse).
 *   <li>Matching: {@code \$__name\b} (so {@code $__timeFilter} never matches {@code
 *       $__timeFilter_ms}); the arguments are the text between the first {@code (} after the name
 *       and its balancing {@code )}, split at every comma and trimmed; each matched text is
 *       replaced everywhere in the query.
 * </ul>
 */
final class GrafanaClickHouseMacros {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final Instant from;
    private final Instant to;
    private final Duration interval;
    private final Map<String, BiFunction<String, List<String>, String>> macros =
            new LinkedHashMap<>();

    /**
     * @param from the dashboard's time range start
     * @param to its end
     * @param interval the query interval Grafana computed for the panel
     */
    GrafanaClickHouseMacros(Instant from, Instant to, Duration interval) {
        this.from = from;
        this.to = to;
        this.interval = interval;
        macros.put("fromTime", (n, a) -> dateTime(from));
        macros.put("toTime", (n, a) -> dateTime(to));
        macros.put("fromTime_ms", (n, a) -> dateTime64(from));
        macros.put("toTime_ms", (n, a) -> dateTime64(to));
        macros.put(
                "timeFilter",
                (n, a) -> {
                    String c = single(n, a);
                    return c + " >= " + dateTime(from) + " AND " + c + " <= " + dateTime(to);
                });
        macros.put(
                "timeFilter_ms",
                (n, a) -> {
                    String c = single(n, a);
                    return c + " >= " + dateTime64(from) + " AND " + c + " <= " + dateTime64(to);
                });
        macros.put(
                "dateFilter",
                (n, a) -> {
                    String c = single(n, a);
                    return c + " >= " + date(from) + " AND " + c + " <= " + date(to);
                });
        BiFunction<String, List<String>, String> dateTimeFilter =
                (n, a) -> {
                    if (a.size() != 2) {
                        throw new IllegalArgumentException(
                                "$__" + n + ": expected 2 arguments, received " + a.size());
                    }
                    return "("
                            + a.get(0)
                            + " >= "
                            + date(from)
                            + " AND "
                            + a.get(0)
                            + " <= "
                            + date(to)
                            + ") AND ("
                            + a.get(1)
                            + " >= "
                            + dateTime(from)
                            + " AND "
                            + a.get(1)
                            + " <= "
                            + dateTime(to)
                            + ")";
                };
        macros.put("dateTimeFilter", dateTimeFilter);
        macros.put("dt", dateTimeFilter);
        macros.put(
                "timeInterval",
                (n, a) ->
                        "toStartOfInterval(toDateTime("
                                + single(n, a)
                                + "), INTERVAL "
                                + seconds()
                                + " second)");
        macros.put(
                "timeInterval_ms",
                (n, a) ->
                        "toStartOfInterval(toDateTime64("
                                + single(n, a)
                                + ", 3), INTERVAL "
                                + Math.max(interval.toMillis(), 1)
                                + " millisecond)");
        macros.put("interval_s", (n, a) -> String.valueOf(seconds()));
        // the SDK's defaults for names the plugin leaves undefined
        macros.put("timeFrom", (n, a) -> single(n, a) + " >= '" + rfc3339(from) + "'");
        macros.put("timeTo", (n, a) -> single(n, a) + " <= '" + rfc3339(to) + "'");
        macros.put(
                "timeGroup",
                (n, a) -> {
                    throw new IllegalArgumentException(
                            "$__timeGroup expands to SQL Server's datepart(): use $__timeInterval");
                });
        macros.put(
                "table",
                (n, a) -> {
                    throw new IllegalArgumentException(
                            "$__table is only set by the query builder, not in SQL panels");
                });
        macros.put(
                "column",
                (n, a) -> {
                    throw new IllegalArgumentException(
                            "$__column is only set by the query builder, not in SQL panels");
                });
    }

    /** {@code sql} with every macro expanded. */
    String expand(String sql) {
        String result = sql;
        for (Map.Entry<String, BiFunction<String, List<String>, String>> macro :
                macros.entrySet()) {
            for (String[] match : matches(result, macro.getKey())) {
                List<String> args = new ArrayList<>();
                if (match[1] != null) {
                    for (String arg : match[1].split(",", -1)) {
                        args.add(arg.strip());
                    }
                }
                result = result.replace(match[0], macro.getValue().apply(macro.getKey(), args));
            }
        }
        return result;
    }

    /**
     * Each occurrence of {@code $__name}: the text to replace, and the argument text (null without
     * parentheses), found like the SDK's {@code getMacroMatches}: from the macro, the first {@code
     * (} opens the arguments and the balancing {@code )} closes them; a {@code )} before any {@code
     * (} ends the macro at its name.
     */
    private static List<String[]> matches(String sql, String name) {
        List<String[]> found = new ArrayList<>();
        Matcher m = Pattern.compile("\\$__" + Pattern.quote(name) + "\\b").matcher(sql);
        while (m.find()) {
            String rest = sql.substring(m.start());
            int depth = 0;
            int argStart = -1;
            int end = -1;
            for (int i = 0; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (depth == 0 && end > 0) {
                    break;
                }
                if (c == '(') {
                    depth++;
                    if (argStart < 0) {
                        argStart = i + 1;
                    }
                } else if (c == ')') {
                    if (depth == 0) {
                        end = -1;
                        break;
                    }
                    depth--;
                    end = i + 1;
                }
            }
            if (end <= 0) {
                found.add(new String[] {rest.substring(0, m.end() - m.start()), null});
            } else {
                found.add(
                        new String[] {
                            rest.substring(0, end),
                            argStart > 0 ? rest.substring(argStart, end - 1) : ""
                        });
            }
        }
        return found;
    }

    private long seconds() {
        return Math.max(interval.toSeconds(), 1);
    }

    private static String single(String name, List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException(
                    "$__" + name + ": expected 1 argument, received " + args.size());
        }
        return args.get(0);
    }

    private static String dateTime(Instant t) {
        return "toDateTime(" + t.getEpochSecond() + ")";
    }

    private static String dateTime64(Instant t) {
        return "fromUnixTimestamp64Milli(" + t.toEpochMilli() + ")";
    }

    private static String date(Instant t) {
        return "toDate('" + DATE.format(t) + "')";
    }

    private static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME
                .format(t.atOffset(ZoneOffset.UTC).withNano(0))
                .replace("+00:00", "Z");
    }
}
