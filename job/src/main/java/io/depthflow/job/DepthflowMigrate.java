package io.depthflow.job;

import com.clickhouse.jdbc.ClickHouseDriver;
import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.Migrations;
import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.UsageException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The schema migrations from the job jar, for deployments that ship only {@code depthflow-job.jar}
 * (docker-compose's {@code submit}, the Kubernetes migration Job): {@code java -cp
 * depthflow-job.jar:$FLINK_HOME/lib/* io.depthflow.job.DepthflowMigrate --clickhouse-url URL
 * [--raw-ttl-days N]}, as a user with the {@code depthflow_migrator} role (credentials from {@code
 * CLICKHOUSE_USER} / {@code CLICKHOUSE_PASSWORD} or {@code CLICKHOUSE_PASSWORD_FILE}). It prints
 * what {@code bin/depthflow migrate --clickhouse-url URL} prints; the command line tool, which also
 * migrates the embedded ClickHouse, is not in the job jar.
 */
public final class DepthflowMigrate {

    private DepthflowMigrate() {}

    /** The picocli model of the entry point's two options (the job jar has no other CLI). */
    static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "migrate",
                        "apply the ClickHouse schema migrations from the job jar",
                        "java -cp depthflow-job.jar:$FLINK_HOME/lib/* io.depthflow.job.DepthflowMigrate"
                                + " --clickhouse-url URL [--raw-ttl-days N]");
        CommandModel.value(s, "--clickhouse-url", "URL", "the ClickHouse JDBC URL (required)");
        CommandModel.integer(
                s,
                "--raw-ttl-days",
                "N",
                1,
                36_500,
                "keep raw payloads N days (default 30; the job's --raw-ttl-days must match)");
        return s;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** 0 when the schema is up to date afterwards, 1 when ClickHouse refused, 2 on bad usage. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String url;
        int rawTtlDays;
        ClickHouseSinkOptions sink;
        try {
            ParsedOptions a = CommandModel.parse(spec(), args);
            url = a.required("--clickhouse-url");
            rawTtlDays = a.value("--raw-ttl-days", 30);
            sink = ClickHouseSinkOptions.builder().jdbcUrl(url).build();
        } catch (UsageException | IllegalArgumentException e) {
            err.println("depthflow " + prefixed(e.getMessage()));
            return 2;
        }
        try (Connection c = new ClickHouseDriver().connect(url, JobEnvironment.auth(sink))) {
            if (c == null) {
                err.println("depthflow migrate: not a ClickHouse JDBC URL");
                return 2;
            }
            apply(c, rawTtlDays, out);
            return 0;
        } catch (SQLException | RuntimeException e) {
            err.println("depthflow migrate: " + rootMessage(e));
            return 1;
        }
    }

    /**
     * Applies the migrations this build has and the raw payloads' TTL on {@code c}, printing one
     * line per applied migration or that the schema is up to date: the migration step of both this
     * entry point and {@code bin/depthflow migrate}.
     */
    public static void apply(Connection c, int rawTtlDays, PrintStream out) throws SQLException {
        Migrations migrations = new Migrations(c);
        List<Migrations.Migration> applied = migrations.apply();
        boolean ttlChanged = migrations.applyRawTtlDays(rawTtlDays);
        if (applied.isEmpty()) {
            out.println(
                    "depthflow migrate: schema up to date ("
                            + Migrations.available().size()
                            + " migrations)");
        }
        for (Migrations.Migration m : applied) {
            out.println("depthflow migrate: applied " + m.name());
        }
        if (ttlChanged) {
            out.println("depthflow migrate: raw_order_books keeps " + rawTtlDays + " days");
        }
    }

    private static String prefixed(String message) {
        return message.startsWith("migrate: ") ? message : "migrate: " + message;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root.getClass().getSimpleName();
        }
        // one line, and a password given in the URL never reaches the terminal
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ")
                .replaceAll("(?i)(password=)[^&\\s]*", "$1***");
    }
}
