package io.depthflow.job.cli;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.job.DepthflowMigrate;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.UsageException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * {@code depthflow migrate [--clickhouse-url URL | --data-dir DIR] [--raw-ttl-days N]}: brings the
 * ClickHouse schema to this build's migrations and records them, then exits. Run it as a user with
 * the {@code depthflow_migrator} role before starting the job as the least-privilege writer ({@code
 * deploy/clickhouse/users.sql}); the job's own start-up check then only reads. Prints one line per
 * applied migration, or that the schema is up to date.
 */
final class MigrateCommand {

    /** The picocli model of {@code migrate}: its options and {@code --help}. */
    static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "migrate",
                        "apply the ClickHouse schema migrations (as a user allowed to change the schema)",
                        "Run it as a user with the role depthflow_migrator (CLICKHOUSE_USER,"
                                + " CLICKHOUSE_PASSWORD or CLICKHOUSE_PASSWORD_FILE) before starting the"
                                + " job as a writer.");
        ClickHouseTarget.options(s);
        CommandModel.integer(
                s,
                "--raw-ttl-days",
                "N",
                1,
                36_500,
                "keep raw payloads N days (default 30; the job's --raw-ttl-days must match)");
        return s;
    }

    private MigrateCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err)
            throws UsageException, CommandException {
        ParsedOptions a = CommandModel.parse(spec(), argv);
        if (a.has("--clickhouse-url") && a.has("--data-dir")) {
            throw new UsageException(
                    "migrate: give either --clickhouse-url or --data-dir, not both");
        }
        int rawTtlDays = a.value("--raw-ttl-days", 30);
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
                DepthflowMigrate.apply(c, rawTtlDays, out);
                return 0;
            } catch (SQLException e) {
                throw new CommandException("migrate: " + Main.rootMessage(e));
            }
        }
    }
}
