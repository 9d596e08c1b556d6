package io.depthflow.job.cli;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.Migrations;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.options.Args;
import io.depthflow.job.options.UsageException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * {@code depthflow migrate [--clickhouse-url URL | --data-dir DIR] [--raw-ttl-days N]}: brings the
 * ClickHouse schema to this build's migrations and records them, then exits. Run it as a user with
 * the {@code depthflow_migrator} role before starting the job as the least-privilege writer ({@code
 * deploy/clickhouse/users.sql}); the job's own start-up check then only reads. Prints one line per
 * applied migration, or that the schema is up to date.
 */
final class MigrateCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: bin/depthflow migrate [--clickhouse-url URL | --data-dir DIR] [--raw-ttl-days N]",
                    "  --clickhouse-url URL   a ClickHouse JDBC URL; user/password from CLICKHOUSE_USER /",
                    "                         CLICKHOUSE_PASSWORD (or CLICKHOUSE_PASSWORD_FILE): a user allowed to",
                    "                         change the schema (role depthflow_migrator)",
                    "  --data-dir DIR         the embedded ClickHouse's data directory (default ./data)",
                    "  --raw-ttl-days N       keep raw payloads N days (default 30; the job's --raw-ttl-days must match)");

    private MigrateCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err)
            throws UsageException, CommandException {
        Args a =
                Args.parse(
                        "migrate",
                        argv,
                        Set.of("--clickhouse-url", "--data-dir", "--raw-ttl-days"),
                        Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException(
                    "migrate: unexpected argument '" + a.positional().get(0) + "'");
        }
        if (a.has("--clickhouse-url") && a.has("--data-dir")) {
            throw new UsageException(
                    "migrate: give either --clickhouse-url or --data-dir, not both");
        }
        int rawTtlDays = a.intValue("--raw-ttl-days", 30, 1, 36_500);
        try (ClickHouseTarget target =
                ClickHouseTarget.open(
                        a.get("--clickhouse-url", null),
                        Path.of(a.get("--data-dir", "data")),
                        err)) {
            ClickHouseSinkOptions credentials =
                    ClickHouseSinkOptions.builder().jdbcUrl(target.jdbcUrl()).build();
            try (Connection c =
                    DriverManager.getConnection(
                            target.jdbcUrl(), JobEnvironment.auth(credentials))) {
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
            } catch (SQLException e) {
                throw new CommandException("migrate: " + Main.rootMessage(e));
            }
        }
    }
}
