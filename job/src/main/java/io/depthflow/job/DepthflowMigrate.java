package io.depthflow.job;

import com.clickhouse.jdbc.ClickHouseDriver;
import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.Migrations;

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

    static final String USAGE =
            "usage: java -cp depthflow-job.jar:$FLINK_HOME/lib/* io.depthflow.job.DepthflowMigrate"
                    + " --clickhouse-url URL [--raw-ttl-days N]";

    private DepthflowMigrate() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** 0 when the schema is up to date afterwards, 1 when ClickHouse refused, 2 on bad usage. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        int rawTtlDays = 30;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.equals("--clickhouse-url") && !a.equals("--raw-ttl-days")) {
                err.println("depthflow migrate: unknown argument '" + a + "'\n" + USAGE);
                return 2;
            }
            if (i + 1 >= args.length) {
                err.println("depthflow migrate: " + a + " needs a value\n" + USAGE);
                return 2;
            }
            String value = args[++i];
            if (a.equals("--clickhouse-url")) {
                url = value;
            } else {
                try {
                    rawTtlDays = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    rawTtlDays = 0;
                }
                if (rawTtlDays < 1 || rawTtlDays > 36_500) {
                    err.println(
                            "depthflow migrate: --raw-ttl-days must be a whole number from 1 to"
                                    + " 36500, not '"
                                    + value
                                    + "'");
                    return 2;
                }
            }
        }
        if (url == null) {
            err.println("depthflow migrate: --clickhouse-url is required\n" + USAGE);
            return 2;
        }
        ClickHouseSinkOptions sink;
        try {
            sink = ClickHouseSinkOptions.builder().jdbcUrl(url).build();
        } catch (IllegalArgumentException e) {
            err.println("depthflow migrate: " + e.getMessage());
            return 2;
        }
        try (Connection c = new ClickHouseDriver().connect(url, JobEnvironment.auth(sink))) {
            if (c == null) {
                err.println("depthflow migrate: not a ClickHouse JDBC URL");
                return 2;
            }
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
            return 0;
        } catch (SQLException | RuntimeException e) {
            err.println("depthflow migrate: " + rootMessage(e));
            return 1;
        }
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
