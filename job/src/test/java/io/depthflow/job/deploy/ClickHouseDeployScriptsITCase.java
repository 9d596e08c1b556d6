package io.depthflow.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.clickhouse.Migrations;
import io.depthflow.clickhouse.embedded.EmbeddedClickHouse;
import io.depthflow.clickhouse.internal.RowBinders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.depthflow.job.deploy.RepoFiles.file;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ClickHouse scripts of the deployment, on the embedded ClickHouse engine (chDB 26.5, a private
 * instance: these checks need its multi-statement script parser, which a server's HTTP interface
 * does not offer):
 *
 * <ul>
 *   <li>the migrations that docker-compose mounts into {@code /docker-entrypoint-initdb.d} run as
 *       whole scripts, as {@code clickhouse-client --multiquery} runs them, and again;
 *   <li>{@code deploy/clickhouse/users.sql}: chDB has access control but no writable access storage
 *       ({@code CREATE ROLE} fails with ACCESS_STORAGE_FOR_INSERTION_NOT_FOUND), so its statements
 *       are parsed ({@code EXPLAIN AST}) rather than applied, and the grants are checked against
 *       what the job writes, what the BI views read and what the Grafana dashboard queries;
 *   <li>{@code deploy/clickhouse/initdb/900-depthflow-users.sh} runs with a recording stand-in for
 *       {@code clickhouse-client}: its SQL parses, users get their roles, and no password appears
 *       in plain text.
 * </ul>
 */
class ClickHouseDeployScriptsITCase {

    private static final Pattern GRANT = Pattern.compile("GRANT (.+) ON (\\S+) TO (\\w+)");
    private static final Pattern CREATED =
            Pattern.compile("CREATE (?:OR REPLACE )?(TABLE|VIEW) (?:IF NOT EXISTS )?(\\w+)");
    private static final Pattern FROM = Pattern.compile("(?i)\\bFROM\\s+(\\w+)");

    @TempDir static Path dir;

    private static EmbeddedClickHouse clickhouse;
    private static List<String> roleStatements;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = EmbeddedClickHouse.start(Files.createDirectories(dir.resolve("clickhouse")));
        roleStatements = statements(Files.readString(file("deploy/clickhouse/users.sql")));
    }

    @AfterAll
    static void stop() {
        if (clickhouse != null) {
            clickhouse.close();
        }
    }

    @Test
    void shouldRunTheMountedMigrationsAsMultiStatementScriptsTwice() throws Exception {
        List<DockerComposeTest.Mount> scripts =
                DockerComposeTest.mounts(
                                RepoFiles.map(
                                        RepoFiles.yaml("docker-compose.yml"),
                                        "services",
                                        "clickhouse"))
                        .stream()
                        .filter(
                                m ->
                                        m.target().startsWith(DockerComposeTest.INITDB)
                                                && m.target().endsWith(".sql"))
                        .toList();
        assertThat(scripts).isNotEmpty();

        for (int round = 1; round <= 2; round++) {
            for (DockerComposeTest.Mount script : scripts) {
                HttpResponse<String> r = post(Files.readString(file(script.source())));
                assertThat(r.statusCode())
                        .as("round %s, %s: %s", round, script.source(), r.body())
                        .isEqualTo(200);
            }
        }

        assertThat(
                        query(
                                "SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name"))
                .containsExactlyElementsOf(schemaObjects().keySet());
    }

    @Test
    void shouldParseEveryStatementOfTheRolesScript() throws Exception {
        assertThat(roleStatements).hasSizeGreaterThan(20);
        for (String statement : roleStatements) {
            HttpResponse<String> r = post("EXPLAIN AST " + statement);
            assertThat(r.statusCode()).as("%s: %s", statement, r.body()).isEqualTo(200);
        }
    }

    @Test
    void shouldLetTheJobInsertIntoExactlyTheTablesItsSinksWriteAndReadOnlyTheHistory()
            throws Exception {
        Set<String> sinkTables = new TreeSet<>();
        for (Field f : RowBinders.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                Matcher m = Pattern.compile("INSERT INTO (\\w+)").matcher((String) f.get(null));
                if (m.lookingAt()) {
                    sinkTables.add(m.group(1));
                }
            }
        }
        Map<String, Set<String>> writer = grants("depthflow_writer");

        assertThat(sinkTables).hasSize(9);
        assertThat(writer).containsOnlyKeys("INSERT", "SELECT");
        assertThat(writer.get("INSERT")).isEqualTo(sinkTables);
        assertThat(writer.get("SELECT")).containsExactly(Migrations.HISTORY_TABLE);
    }

    @Test
    void shouldLetBiReadTheTwoViewsAndTheTablesBehindThemOnly() throws Exception {
        Map<String, String> objects = schemaObjects();
        Set<String> expected = new TreeSet<>();
        objects.forEach(
                (name, definition) -> {
                    if (name.startsWith("bi_")) {
                        expected.add(name);
                        expected.addAll(tablesReadBy(definition));
                    }
                });

        assertThat(expected)
                .contains(
                        "bi_mid_price_1m",
                        "bi_best_execution_1m",
                        "mid_price_1m",
                        "best_execution_1m");
        assertThat(grants("depthflow_reader")).containsOnlyKeys("SELECT");
        assertThat(grants("depthflow_reader").get("SELECT")).isEqualTo(expected);
        assertThat(roleStatements)
                .contains(
                        "ALTER ROLE depthflow_reader SETTINGS PROFILE 'depthflow_readonly'",
                        "ALTER ROLE depthflow_dashboard SETTINGS PROFILE 'depthflow_readonly'");
        assertThat(String.join("\n", roleStatements)).contains("readonly = 1");
    }

    @Test
    void shouldLetGrafanaReadEveryTableTheDashboardQueriesButNotRawPayloads() throws Exception {
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(file("deploy/grafana/dashboards/depthflow.json").toFile());
        Set<String> queried = new TreeSet<>();
        for (String sql : GrafanaDashboard.queries(dashboard)) {
            queried.addAll(tablesReadBy(sql));
        }
        Set<String> readable = new TreeSet<>(grants("depthflow_reader").get("SELECT"));
        readable.addAll(grants("depthflow_dashboard").getOrDefault("SELECT", Set.of()));

        assertThat(roleStatements).contains("GRANT depthflow_reader TO depthflow_dashboard");
        assertThat(queried).isNotEmpty();
        assertThat(readable).containsAll(queried).doesNotContain("raw_order_books");
    }

    @Test
    void shouldGrantOnlyObjectsTheMigrationsCreate() throws Exception {
        Set<String> known = new TreeSet<>(schemaObjects().keySet());
        known.add(Migrations.HISTORY_TABLE);
        known.add("*");
        for (String statement : roleStatements) {
            Matcher m = GRANT.matcher(statement);
            if (m.matches()) {
                assertThat(known).as(statement).contains(m.group(2));
            }
        }
    }

    @Test
    void shouldCreateTheStackUsersWithTheirRolesAndOnlyHashedPasswords() throws Exception {
        Path calls = Files.createDirectories(dir.resolve("calls"));
        Path jobSecret = dir.resolve("job-password");
        Files.writeString(jobSecret, "job-secret-from-file\n");
        Map<String, String> env =
                Map.of(
                        "DEPTHFLOW_MIGRATOR_PASSWORD", "migrator-secret",
                        "DEPTHFLOW_JOB_PASSWORD_FILE", jobSecret.toString(),
                        "DEPTHFLOW_GRAFANA_PASSWORD", "grafana-secret");

        Process p = runUsersScript(calls, env);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();

        List<List<String>> recorded = recordedCalls(calls);
        String everything = String.join("\n", recorded.stream().flatMap(List::stream).toList());
        assertThat(recorded.get(0)).contains("--database", "default");
        assertThat(everything).contains(Files.readString(file("deploy/clickhouse/users.sql")));
        assertThat(everything)
                .doesNotContain("migrator-secret", "job-secret-from-file", "grafana-secret")
                .contains(
                        sha256("migrator-secret"),
                        sha256("job-secret-from-file"),
                        sha256("grafana-secret"));
        List<String> userStatements = new ArrayList<>();
        for (List<String> call : recorded) {
            int q = call.indexOf("--query");
            if (q >= 0) {
                userStatements.addAll(statements(call.get(q + 1)));
            }
        }
        for (String statement : userStatements) {
            HttpResponse<String> r = post("EXPLAIN AST " + statement);
            assertThat(r.statusCode()).as("%s: %s", statement, r.body()).isEqualTo(200);
        }
        assertThat(userStatements)
                .contains(
                        "GRANT depthflow_migrator TO depthflow_migrator",
                        "GRANT depthflow_writer TO depthflow_job",
                        "GRANT depthflow_dashboard TO depthflow_grafana",
                        "ALTER USER depthflow_job DEFAULT ROLE depthflow_writer");
    }

    @Test
    void shouldStopWhenAPasswordIsMissing() throws Exception {
        Path calls = Files.createDirectories(dir.resolve("calls-missing"));
        Process p =
                runUsersScript(
                        calls,
                        Map.of(
                                "DEPTHFLOW_MIGRATOR_PASSWORD",
                                "m",
                                "DEPTHFLOW_GRAFANA_PASSWORD",
                                "g"));
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isNotZero();
        assertThat(output).contains("set DEPTHFLOW_JOB_PASSWORD or DEPTHFLOW_JOB_PASSWORD_FILE");
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * The script with a {@code clickhouse-client} on the PATH that records each call in {@code
     * calls}.
     */
    private static Process runUsersScript(Path calls, Map<String, String> passwords)
            throws Exception {
        Path bin = Files.createDirectories(calls.resolve("bin"));
        Path client = bin.resolve("clickhouse-client");
        Files.writeString(
                client,
                String.join(
                        "\n",
                        "#!/bin/bash",
                        "n=$(ls \"$RECORD_DIR\" | grep -c '^call-')",
                        "printf '%s\\0' \"$@\" > \"$RECORD_DIR/call-$n\"",
                        "cat >> \"$RECORD_DIR/call-$n\"",
                        ""));
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb =
                new ProcessBuilder(
                                "bash",
                                file("deploy/clickhouse/initdb/900-depthflow-users.sh").toString())
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("DEPTHFLOW_") || k.startsWith("CLICKHOUSE_"));
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("RECORD_DIR", calls.toString());
        pb.environment().put("DEPTHFLOW_USERS_SQL", file("deploy/clickhouse/users.sql").toString());
        pb.environment().put("CLICKHOUSE_USER", "depthflow_admin");
        pb.environment().put("CLICKHOUSE_PASSWORD", "admin-password");
        pb.environment().putAll(passwords);
        return pb.start();
    }

    /** Each recorded call: its arguments, then (as the last element) what it read on stdin. */
    private static List<List<String>> recordedCalls(Path calls) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(calls)) {
            files =
                    s.filter(f -> f.getFileName().toString().startsWith("call-"))
                            .sorted((a, b) -> Integer.compare(number(a), number(b)))
                            .toList();
        }
        List<List<String>> recorded = new ArrayList<>();
        for (Path f : files) {
            String content = Files.readString(f);
            int end = content.lastIndexOf('\0');
            List<String> call = new ArrayList<>(List.of(content.substring(0, end).split("\0", -1)));
            call.add(content.substring(end + 1));
            recorded.add(call);
        }
        return recorded;
    }

    private static int number(Path call) {
        return Integer.parseInt(call.getFileName().toString().substring("call-".length()));
    }

    /** {@code role}'s privileges from users.sql: privilege to objects. */
    private static Map<String, Set<String>> grants(String role) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (String statement : roleStatements) {
            Matcher m = GRANT.matcher(statement);
            if (m.matches() && m.group(3).equals(role)) {
                for (String privilege : m.group(1).split(",")) {
                    grants.computeIfAbsent(privilege.strip(), k -> new TreeSet<>()).add(m.group(2));
                }
            }
        }
        return grants;
    }

    /** Tables and views the migrations create, by name, with their defining statement. */
    private static Map<String, String> schemaObjects() {
        Map<String, String> objects = new TreeMap<>();
        for (Migrations.Migration migration : Migrations.available()) {
            for (String statement : migration.statements()) {
                Matcher m = CREATED.matcher(statement);
                if (m.lookingAt()) {
                    objects.put(m.group(2), statement);
                }
            }
        }
        return objects;
    }

    private static Set<String> tablesReadBy(String sql) {
        Set<String> tables = new TreeSet<>();
        Matcher m = FROM.matcher(sql);
        while (m.find()) {
            tables.add(m.group(1));
        }
        return tables;
    }

    /** Statements of a script, split as the migrations are (lines ending with {@code ;}). */
    private static List<String> statements(String script) {
        return new Migrations.Migration(0, "script", script, "").statements();
    }

    private static List<String> query(String sql) throws Exception {
        HttpResponse<String> r = post(sql + " FORMAT TSV");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body().isEmpty() ? List.of() : List.of(r.body().strip().split("\n"));
    }

    private static HttpResponse<String> post(String sql) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(clickhouse.httpUrl()))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                sql, StandardCharsets.UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
