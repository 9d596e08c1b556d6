package io.depthflow.job.cli;

import io.depthflow.clickhouse.Migrations;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/depthflow migrate} against the embedded ClickHouse: applies once, then reports up to
 * date.
 */
@ExtendWith(ClickHouseTestServer.class)
class MigrateCommandITCase {

    @Test
    void shouldApplyTheMigrationsOnceAndThenReportTheSchemaUpToDate() throws Exception {
        ClickHouseTestServer.resetSchema();
        ClickHouseTestServer.execute("DROP TABLE IF EXISTS " + Migrations.HISTORY_TABLE);

        String first = migrate();
        String second = migrate();

        List<String> names =
                Migrations.available().stream().map(Migrations.Migration::name).toList();
        assertThat(names).startsWith("V001__poll_pipeline.sql", "V002__stream_mode.sql");
        StringBuilder applied = new StringBuilder();
        names.forEach(n -> applied.append("depthflow migrate: applied ").append(n).append('\n'));
        assertThat(first).isEqualTo(applied.toString());
        assertThat(second)
                .isEqualTo(
                        "depthflow migrate: schema up to date ("
                                + Migrations.available().size()
                                + " migrations)\n");
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT name FROM "
                                        + Migrations.HISTORY_TABLE
                                        + " ORDER BY version"))
                .containsExactlyElementsOf(names.stream().map(List::of).toList());
    }

    private static String migrate() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        new String[] {
                            "migrate", "--clickhouse-url", ClickHouseTestServer.jdbcUrl()
                        },
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
