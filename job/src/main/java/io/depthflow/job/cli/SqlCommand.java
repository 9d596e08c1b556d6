package io.depthflow.job.cli;

import io.depthflow.clickhouse.ClickHouseSinkOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * {@code depthflow sql [--clickhouse-url URL | --data-dir DIR] [--format F] "SQL"}: runs one query
 * over ClickHouse's HTTP interface and prints the result in ClickHouse output format {@code F}
 * exactly as the server returns it.
 */
final class SqlCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: bin/depthflow sql [--clickhouse-url URL | --data-dir DIR] [--format F] \"SQL\"",
                    "  --clickhouse-url URL   a ClickHouse JDBC URL; user/password from CLICKHOUSE_USER / CLICKHOUSE_PASSWORD",
                    "                         (or CLICKHOUSE_PASSWORD_FILE, a file holding the password)",
                    "  --data-dir DIR         the embedded ClickHouse's data directory (default ./data); a running",
                    "                         'bin/depthflow run' on the same directory is reused",
                    "  --format F             a ClickHouse output format (default PrettyCompact; e.g. TSVWithNames, CSV, JSONEachRow)");

    private SqlCommand() {}

    static int run(String[] argv, PrintStream out) throws UsageException, CommandException, InterruptedException {
        Args a = Args.parse("sql", argv, Set.of("--clickhouse-url", "--data-dir", "--format"), Set.of());
        if (a.positional().size() != 1) {
            throw new UsageException(
                    "sql: give exactly one SQL statement in quotes, e.g. bin/depthflow sql \"SELECT * FROM bi_mid_price_1m LIMIT 5\"");
        }
        if (a.has("--clickhouse-url") && a.has("--data-dir")) {
            throw new UsageException("sql: give either --clickhouse-url or --data-dir, not both");
        }
        String format = a.get("--format", "PrettyCompact");
        if (!format.matches("[A-Za-z0-9]+")) {
            throw new UsageException("sql: --format must be a ClickHouse format name, got '" + format + "'");
        }
        String sql = a.positional().get(0);
        try (ClickHouseTarget target =
                ClickHouseTarget.open(a.get("--clickhouse-url", null), Path.of(a.get("--data-dir", "data")), System.err)) {
            String base = ClickHouseTarget.httpUrl(target.jdbcUrl());
            String url = base + (base.contains("?") ? "&" : "?") + "default_format=" + URLEncoder.encode(format, StandardCharsets.UTF_8);
            HttpRequest.Builder req =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofMinutes(5))
                            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
            // the job's credential resolution: CLICKHOUSE_USER, CLICKHOUSE_PASSWORD or _FILE
            ClickHouseSinkOptions credentials = ClickHouseSinkOptions.builder().jdbcUrl(target.jdbcUrl()).build();
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (credentials.user() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8)));
            HttpResponse<String> resp;
            try {
                resp = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CommandException("sql: cannot reach ClickHouse at " + base + ": " + e.getMessage());
            }
            if (resp.statusCode() != 200) {
                String body = resp.body().strip();
                int nl = body.indexOf('\n');
                throw new CommandException("sql: " + (nl < 0 ? body : body.substring(0, nl)));
            }
            out.print(resp.body());
            out.flush();
            return 0;
        }
    }
}
