package io.depthflow.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provisioned Grafana dashboard JSON as the deploy tests read it: its panels (rows flattened),
 * their queries, its template variables, and Grafana's own variable interpolation, which runs in
 * the browser before the data source plugin expands its macros.
 */
final class GrafanaDashboard {

    /**
     * Grafana's variable syntaxes: {@code $name}, {@code ${name}}, {@code ${name:format}}, {@code
     * [[name]]}.
     */
    private static final Pattern VARIABLE =
            Pattern.compile("\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?]]|\\$\\{(\\w+)(?::([^}]+))?}");

    private GrafanaDashboard() {}

    /** One query of one panel. */
    record Target(
            int panelId, String panelTitle, String panelType, JsonNode panel, JsonNode target) {

        String rawSql() {
            return target.path("rawSql").asText();
        }

        /** The plugin's query type: {@code timeseries} or {@code table}. */
        String queryType() {
            return target.path("queryType").asText();
        }

        /** The minimum interval set on the panel, e.g. {@code 1m}; null when Grafana chooses. */
        Duration minInterval() {
            String interval = panel.path("interval").asText(null);
            if (interval == null || interval.isEmpty()) {
                return null;
            }
            Matcher m = Pattern.compile("(\\d+)([smhd])").matcher(interval);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "panel " + panelTitle + ": interval " + interval);
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
    }

    /** Every panel, with the panels of rows (collapsed or not) in place of the rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                p.path("panels").forEach(panels::add);
            } else {
                panels.add(p);
            }
        }
        return panels;
    }

    static List<Target> targets(JsonNode dashboard) {
        List<Target> targets = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                targets.add(
                        new Target(
                                p.path("id").asInt(),
                                p.path("title").asText(),
                                p.path("type").asText(),
                                p,
                                t));
            }
        }
        return targets;
    }

    /** The SQL of every panel query and every query variable, before any expansion. */
    static List<String> queries(JsonNode dashboard) {
        List<String> sql = new ArrayList<>();
        targets(dashboard).forEach(t -> sql.add(t.rawSql()));
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                sql.add(variableQuery(v));
            }
        }
        return sql;
    }

    /** The SQL of a query variable (a string, or a query object with {@code rawSql}). */
    static String variableQuery(JsonNode variable) {
        JsonNode q = variable.path("query");
        return q.isTextual() ? q.asText() : q.path("rawSql").asText();
    }

    /**
     * Grafana's interpolation of {@code values} (variable name to its single selected value) into
     * {@code sql}, raw as the ClickHouse plugin formats single values; names that are not variables
     * ({@code $__timeFilter}, ...) stay for the plugin.
     */
    static String interpolate(String sql, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name =
                    m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(4);
            String value = values.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
