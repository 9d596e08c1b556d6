package io.depthflow.job;

import io.depthflow.clickhouse.Migrations;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job jar's own migration entry ({@code io.depthflow.job.DepthflowMigrate}, which
 * docker-compose and the Kubernetes migration Job run, since the command line tool is not in the
 * job jar) against a real (embedded) ClickHouse: an empty database gets every migration, a second
 * run finds it up to date, bad arguments get one line.
 */
class DepthflowMigrateITCase {

    private static final String DATABASE = "depthflow_migrate_entry";

    @Test
    void shouldApplyEveryMigrationToAnEmptyDatabaseThenFindItUpToDate() throws Exception {
        ClickHouseTestServer.execute("DROP DATABASE IF EXISTS " + DATABASE);
        ClickHouseTestServer.execute("CREATE DATABASE " + DATABASE);
        String url = ClickHouseTestServer.jdbcUrl().replaceFirst("/default\\b", "/" + DATABASE);
        assertThat(url).contains("/" + DATABASE);

        Result first = run("--clickhouse-url", url, "--raw-ttl-days", "7");
        assertThat(first.code).as(first.err).isZero();
        List<String> expected =
                Migrations.available().stream()
                        .map(m -> "depthflow migrate: applied " + m.name())
                        .collect(Collectors.toList());
        assertThat(first.out.lines()).containsSequence(expected);
        assertThat(first.out).contains("depthflow migrate: raw_order_books keeps 7 days");
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT count() FROM system.tables WHERE database = '"
                                        + DATABASE
                                        + "' AND name = 'bi_mid_price_1m'"))
                .containsExactly(List.of("1"));

        Result second = run("--clickhouse-url", url, "--raw-ttl-days", "7");
        assertThat(second.code).as(second.err).isZero();
        assertThat(second.out.strip())
                .isEqualTo(
                        "depthflow migrate: schema up to date ("
                                + Migrations.available().size()
                                + " migrations)");
        ClickHouseTestServer.execute("DROP DATABASE " + DATABASE);
    }

    @Test
    void shouldAnswerBadArgumentsWithOneLineAndTheUsage() {
        Result noUrl = run("--raw-ttl-days", "3");
        assertThat(noUrl.code).isEqualTo(2);
        assertThat(noUrl.err.lines().findFirst())
                .hasValue("depthflow migrate: --clickhouse-url is required");

        Result badTtl =
                run("--clickhouse-url", "jdbc:clickhouse://127.0.0.1:1/x", "--raw-ttl-days", "0");
        assertThat(badTtl.code).isEqualTo(2);
        assertThat(badTtl.err.strip())
                .isEqualTo(
                        "depthflow migrate: --raw-ttl-days must be an integer from 1 to 36500,"
                                + " got '0'");

        Result unknown = run("migrate", "--clickhouse-url", "jdbc:clickhouse://127.0.0.1:1/x");
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err.lines().findFirst())
                .hasValue("depthflow migrate: unexpected argument 'migrate'");
    }

    @Test
    void shouldNameTheCauseInOneLineWithoutThePasswordWhenClickHouseIsUnreachable() {
        Result down =
                run("--clickhouse-url", "jdbc:clickhouse://127.0.0.1:1/default?password=s3cret");
        assertThat(down.code).isEqualTo(1);
        assertThat(down.err.lines()).hasSize(1);
        assertThat(down.err).startsWith("depthflow migrate: ").doesNotContain("s3cret");
    }

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                DepthflowMigrate.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
