package io.depthflow.job.cli;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.UsageException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * {@code depthflow sql [--clickhouse-url URL | --data-dir DIR] [--format F] "SQL" | -f FILE | -}:
 * runs one query over ClickHouse's HTTP interface and prints the result in ClickHouse output format
 * {@code F} exactly as the server returns it. The query comes from the argument, a file ({@code
 * -f}, for queries with quotes in them) or standard input ({@code -}).
 */
final class SqlCommand {

    /** The picocli model of {@code sql}: its options and {@code --help}. */
    static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "sql",
                        "run a query on the configured or embedded ClickHouse",
                        "The statement is one argument (\"SQL\"), the file of -f FILE, or standard"
                                + " input for -.");
        CommandModel.positionals(
                s, "SQL", "one statement as one argument; - reads it from standard input");
        CommandModel.value(
                s, new String[] {"-f", "--file"}, "FILE", "read the statement from FILE");
        ClickHouseTarget.options(s);
        CommandModel.value(
                s,
                "--format",
                "F",
                "a ClickHouse output format (default PrettyCompact; e.g. TSVWithNames, CSV,"
                        + " JSONEachRow)");
        return s;
    }

    /** ClickHouse's error code for an unknown {@code FORMAT}. */
    private static final int UNKNOWN_FORMAT = 73;

    private SqlCommand() {}

    /** The statement: the argument, the file of {@code -f}, or standard input for {@code -}. */
    private static String query(ParsedOptions a, InputStream stdin)
            throws UsageException, CommandException {
        String sql;
        if (a.has("--file")) {
            Path file = a.existingFile("--file");
            try {
                sql = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CommandException("sql: cannot read " + file + ": " + Messages.cause(e));
            }
        } else if (a.positional().get(0).equals("-")) {
            try {
                sql = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CommandException("sql: cannot read standard input: " + Messages.cause(e));
            }
        } else {
            sql = a.positional().get(0);
        }
        if (sql.isBlank()) {
            throw new UsageException("sql: the SQL statement is empty");
        }
        return sql;
    }

    static int run(String[] argv, PrintStream out)
            throws UsageException, CommandException, InterruptedException {
        return run(argv, out, System.in);
    }

    static int run(String[] argv, PrintStream out, InputStream stdin)
            throws UsageException, CommandException, InterruptedException {
        ParsedOptions a = CommandModel.parse(spec(), argv);
        int sources = a.positional().size() + (a.has("--file") ? 1 : 0);
        if (sources != 1) {
            throw new UsageException(
                    "sql: give exactly one SQL statement: in quotes, e.g. bin/depthflow sql \"SELECT * FROM bi_mid_price_1m LIMIT 5\","
                            + " or -f FILE, or - to read standard input");
        }
        if (a.has("--clickhouse-url") && a.has("--data-dir")) {
            throw new UsageException("sql: give either --clickhouse-url or --data-dir, not both");
        }
        String format = a.get("--format", "PrettyCompact");
        if (!format.matches("[A-Za-z0-9]+")) {
            throw new UsageException(
                    "sql: --format must be a ClickHouse format name, got '" + format + "'");
        }
        Path dataDir = Path.of(a.get("--data-dir", "data"));
        if (!a.has("--clickhouse-url") && !Files.isDirectory(dataDir)) {
            throw new UsageException(
                    "sql: no data directory "
                            + dataDir
                            + " (bin/depthflow run creates it); give --data-dir DIR or --clickhouse-url URL");
        }
        String sql = query(a, stdin);
        try (ClickHouseTarget target =
                ClickHouseTarget.open(a.get("--clickhouse-url", null), dataDir, System.err)) {
            String base = ClickHouseTarget.httpUrl(target.jdbcUrl());
            String url =
                    base
                            + (base.contains("?") ? "&" : "?")
                            + "default_format="
                            + URLEncoder.encode(format, StandardCharsets.UTF_8);
            HttpRequest.Builder req =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofMinutes(5))
                            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
            // the job's credential resolution: CLICKHOUSE_USER, CLICKHOUSE_PASSWORD or _FILE
            ClickHouseSinkOptions credentials =
                    ClickHouseSinkOptions.builder().jdbcUrl(target.jdbcUrl()).build();
            req.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (credentials.user() + ":" + credentials.password())
                                                    .getBytes(StandardCharsets.UTF_8)));
            HttpResponse<String> resp;
            try {
                resp =
                        HttpClient.newHttpClient()
                                .send(
                                        req.build(),
                                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CommandException(
                        "sql: cannot reach ClickHouse at " + base + ": " + Messages.cause(e));
            }
            if (resp.statusCode() != 200) {
                String body = resp.body();
                if (Messages.clickHouseCode(body) == UNKNOWN_FORMAT) {
                    throw new UsageException(
                            "sql: --format " + format + " is not a ClickHouse output format");
                }
                throw new CommandException("sql: " + Messages.clickHouseError(body));
            }
            out.print(resp.body());
            out.flush();
            return 0;
        }
    }
}
