package io.depthflow.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.cli.Main;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.capture.Recorder;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.rest.RestBookSource;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.depthflow.job.deploy.RepoFiles.file;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provisioned Grafana dashboard ({@code deploy/grafana/dashboards/depthflow.json}) against the
 * real schema and real data: a capture recorded from the exchange simulator (faults included) is
 * replayed by {@code bin/depthflow run --replay} into the ClickHouse test server; then every
 * panel's SQL gets the dashboard's variables (as Grafana interpolates them) and the ClickHouse
 * plugin's macros (as its backend expands them, {@link GrafanaClickHouseMacros}) for a time range
 * around the capture, runs, and must return rows with the columns its visualisation needs.
 */
@ExtendWith(ClickHouseTestServer.class)
class GrafanaDashboardITCase {

    /** An hour ago, 5 s before a minute boundary (raw_order_books keeps 30 days: stay recent). */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L - 5_000L;

    private static final Instant FROM = Instant.ofEpochMilli(START - 60_000);
    private static final Instant TO = Instant.ofEpochMilli(START + 7 * 60_000);

    /**
     * Grafana's interval for an 8-minute range on a dashboard-wide panel, before a panel's minimum.
     */
    private static final Duration AUTO_INTERVAL = Duration.ofSeconds(1);

    @TempDir static Path dir;

    private static JsonNode dashboard;

    @BeforeAll
    static void replayACapture() throws Exception {
        Path capture = dir.resolve("capture.jsonl");
        AcceleratedClock clock = new AcceleratedClock(START, 60);
        try (ExchangeSimulator sim = ExchangeSimulator.builder().clock(clock).seed(23).start()) {
            sim.injectFault("coinbase", Fault.HTTP_429, 1);
            sim.injectFault("kraken", Fault.MALFORMED_JSON, 1);
            sim.injectFault("kraken", Fault.CROSSED_BOOK, 1);
            new Recorder(
                            RestBookSource.builder()
                                    .setBaseUrl("coinbase", sim.baseUrl("coinbase"))
                                    .setBaseUrl("kraken", sim.baseUrl("kraken"))
                                    .setClock(clock)
                                    .setInterval(Duration.ofSeconds(10))
                                    .setDuration(Duration.ofMinutes(4))
                                    .setRateLimit("kraken", 50, 10)
                                    .setRateLimit("coinbase", 50, 10)
                                    .buildPollConfig())
                    .record(capture);
        }
        ClickHouseTestServer.resetSchema();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        new String[] {
                            "run",
                            "--replay",
                            capture.toString(),
                            "--clickhouse-url",
                            ClickHouseTestServer.jdbcUrl(),
                            "--web-port",
                            "0",
                            "--quiet"
                        },
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("replay exit code; stderr: %s", err).isZero();
        dashboard =
                new ObjectMapper()
                        .readTree(file("deploy/grafana/dashboards/depthflow.json").toFile());
    }

    @Test
    void shouldAnswerEveryPanelWithRowsAndTheColumnsItsVisualisationNeeds() throws Exception {
        Map<String, String> variables =
                Map.of(
                        "market",
                        marketChoices().get(0),
                        "notional",
                        notionalChoices().get(0),
                        "band",
                        bandChoices().get(0));
        List<GrafanaDashboard.Target> targets = GrafanaDashboard.targets(dashboard);
        assertThat(GrafanaDashboard.panels(dashboard))
                .allSatisfy(p -> assertThat(p.path("targets").size()).isPositive());
        assertThat(targets).hasSizeGreaterThanOrEqualTo(11);

        for (GrafanaDashboard.Target t : targets) {
            Duration interval =
                    t.minInterval() != null && t.minInterval().compareTo(AUTO_INTERVAL) > 0
                            ? t.minInterval()
                            : AUTO_INTERVAL;
            String sql =
                    new GrafanaClickHouseMacros(FROM, TO, interval)
                            .expand(GrafanaDashboard.interpolate(t.rawSql(), variables));
            assertThat(sql)
                    .as("panel %s: everything expanded", t.panelTitle())
                    .doesNotContainPattern("\\$\\w|\\$\\{|\\[\\[");

            Result r = run(sql);

            assertThat(r.rows).as("panel %s returns rows:%n%s", t.panelTitle(), sql).isNotEmpty();
            assertThat(new HashSet<>(r.names))
                    .as("panel %s: column names are unique", t.panelTitle())
                    .hasSameSizeAs(r.names);
            if (t.queryType().equals("timeseries")) {
                assertThat(t.target().path("format").asInt()).as("time series format").isZero();
                assertThat(t.panelType()).isEqualTo("timeseries");
                assertThat(r.names.get(0))
                        .as("panel %s: first column", t.panelTitle())
                        .isEqualTo("time");
                assertThat(r.types.get(0))
                        .as("panel %s: time type", t.panelTitle())
                        .startsWith("DateTime");
                for (int i = 1; i < r.types.size(); i++) {
                    assertThat(r.types.get(i))
                            .as(
                                    "panel %s: column %s is a label or a value",
                                    t.panelTitle(), r.names.get(i))
                            .matches(
                                    "(LowCardinality\\()?(Nullable\\()?(String|U?Int\\d+|Float\\d+|Decimal.*)\\)*");
                }
                assertThat(r.types.subList(1, r.types.size()))
                        .as("panel %s: a numeric value", t.panelTitle())
                        .anySatisfy(
                                type ->
                                        assertThat(type)
                                                .matches(
                                                        "(Nullable\\()?(U?Int\\d+|Float\\d+|Decimal.*)"));
                // Grafana turns long frames (time, labels, values) into series only when time
                // ascends
                for (int i = 1; i < r.rows.size(); i++) {
                    assertThat(r.rows.get(i).get(0))
                            .as("panel %s: ordered by time", t.panelTitle())
                            .isGreaterThanOrEqualTo(r.rows.get(i - 1).get(0));
                }
            } else {
                assertThat(t.queryType()).isEqualTo("table");
                assertThat(t.target().path("format").asInt()).as("table format").isEqualTo(1);
                int time = r.names.indexOf("time");
                if (time >= 0) {
                    assertThat(r.types.get(time)).startsWith("DateTime");
                }
            }
        }
    }

    @Test
    void shouldAnswerTheBiQuestionsFromTheViewsAndTheGoldSilverAndErrorTables() {
        String all = String.join("\n", GrafanaDashboard.queries(dashboard));
        assertThat(all)
                .contains(
                        "FROM bi_mid_price_1m",
                        "FROM bi_best_execution_1m",
                        "slippage_bps",
                        "spread_bps",
                        "FROM order_book_slices",
                        "FROM ingest_errors");
        assertThat(all)
                .contains(
                        "FROM bi_routed_execution_1m",
                        "savings_bps",
                        "FROM bi_liquidity_1m",
                        "imbalance",
                        "FROM bi_arbitrage_1m",
                        "FROM bi_routing_cost_1d");
        assertThat(all)
                .as("venues come from the data, never from the dashboard")
                .doesNotContain("'coinbase'", "'kraken'");
    }

    @Test
    void shouldBacktestTheThreeRoutingPoliciesForEveryVenueInTheData() throws Exception {
        GrafanaDashboard.Target cost =
                GrafanaDashboard.targets(dashboard).stream()
                        .filter(t -> t.rawSql().contains("FROM bi_routing_cost_1d"))
                        .findFirst()
                        .orElseThrow();
        String sql =
                new GrafanaClickHouseMacros(FROM, TO, AUTO_INTERVAL)
                        .expand(
                                GrafanaDashboard.interpolate(
                                        cost.rawSql(), Map.of("market", "BTC/USD")));
        Result r = run(sql);
        int policy = r.names.indexOf("policy");
        int venue = r.names.indexOf("venue");
        int bps = r.names.indexOf("avg_cost_bps");
        assertThat(r.rows.stream().map(row -> row.get(policy)).distinct().sorted().toList())
                .containsExactly("best_single", "routed", "single");
        assertThat(
                        r.rows.stream()
                                .filter(row -> row.get(policy).equals("single"))
                                .map(row -> row.get(venue))
                                .distinct()
                                .sorted()
                                .toList())
                .containsExactly("coinbase", "kraken");
        // the routed split never costs more than the best single venue of the same minutes
        for (List<String> routed : r.rows) {
            if (routed.get(policy).equals("routed")) {
                r.rows.stream()
                        .filter(
                                row ->
                                        row.get(policy).equals("best_single")
                                                && row.subList(0, 3).equals(routed.subList(0, 3)))
                        .forEach(
                                best ->
                                        assertThat(Double.parseDouble(routed.get(bps)))
                                                .isLessThanOrEqualTo(
                                                        Double.parseDouble(best.get(bps)) + 1e-9));
            }
        }
    }

    @Test
    void shouldOfferTheMarketsInTheDataAndTheNotionalsTheJobQuotes() throws Exception {
        long[] quoted = RunOptions.parse(new String[0]).notionals;

        assertThat(marketChoices()).containsExactly("BTC/USD", "ETH/USD");
        assertThat(notionalChoices())
                .containsExactlyElementsOf(Arrays.stream(quoted).mapToObj(Long::toString).toList());
    }

    @Test
    void shouldQueryOnlyTheProvisionedClickHouseDataSource() {
        Map<String, Object> ds =
                RepoFiles.<List<Map<String, Object>>>at(
                                RepoFiles.yaml(
                                        "deploy/grafana/provisioning/datasources/clickhouse.yaml"),
                                "datasources")
                        .get(0);
        List<JsonNode> refs = new ArrayList<>();
        GrafanaDashboard.panels(dashboard).forEach(p -> refs.add(p.path("datasource")));
        GrafanaDashboard.targets(dashboard).forEach(t -> refs.add(t.target().path("datasource")));
        dashboard
                .path("templating")
                .path("list")
                .forEach(
                        v -> {
                            if (v.path("type").asText().equals("query")) {
                                refs.add(v.path("datasource"));
                            }
                        });

        assertThat(refs)
                .isNotEmpty()
                .allSatisfy(
                        ref -> {
                            assertThat(ref.path("uid").asText()).isEqualTo(ds.get("uid"));
                            assertThat(ref.path("type").asText()).isEqualTo(ds.get("type"));
                        });
        assertThat(GrafanaDashboard.targets(dashboard))
                .allSatisfy(
                        t -> assertThat(t.target().path("editorType").asText()).isEqualTo("sql"));
    }

    // ---------------------------------------------------------------------------------------------

    /** The market variable's choices, from its query on the replayed data. */
    private static List<String> marketChoices() throws Exception {
        JsonNode market = variable("market");
        Result r =
                run(
                        new GrafanaClickHouseMacros(FROM, TO, AUTO_INTERVAL)
                                .expand(GrafanaDashboard.variableQuery(market)));
        assertThat(r.types.get(0)).matches("(LowCardinality\\()?String\\)?");
        return r.rows.stream().map(row -> row.get(0)).toList();
    }

    /** The band variable's choices, from its query on the replayed data. */
    private static List<String> bandChoices() throws Exception {
        Result r =
                run(
                        new GrafanaClickHouseMacros(FROM, TO, AUTO_INTERVAL)
                                .expand(GrafanaDashboard.variableQuery(variable("band"))));
        assertThat(r.rows).isNotEmpty();
        return r.rows.stream().map(row -> row.get(0)).toList();
    }

    private static List<String> notionalChoices() {
        return Arrays.stream(variable("notional").path("query").asText().split(","))
                .map(String::strip)
                .toList();
    }

    private static JsonNode variable(String name) {
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("the dashboard has no variable " + name);
    }

    private record Result(List<String> names, List<String> types, List<List<String>> rows) {}

    private static Result run(String sql) throws Exception {
        try (Connection c = ClickHouseTestServer.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                names.add(md.getColumnLabel(i));
                types.add(md.getColumnTypeName(i));
            }
            List<List<String>> rows = new ArrayList<>();
            Set<Integer> timeColumns = new HashSet<>();
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i).startsWith("DateTime")) {
                    timeColumns.add(i + 1);
                }
            }
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= names.size(); i++) {
                    // epoch millis, zero-padded: comparable as text
                    row.add(
                            timeColumns.contains(i)
                                    ? String.format("%015d", rs.getTimestamp(i).getTime())
                                    : rs.getString(i));
                }
                rows.add(row);
            }
            return new Result(names, types, rows);
        }
    }
}
