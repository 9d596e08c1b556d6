package io.depthflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthflow.clickhouse.Migrations;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code bin/depthflow migrate} against the embedded ClickHouse: applies once, then reports up to date. */
@ExtendWith(ClickHouseTestServer.class)
class MigrateCommandITCase {

    @Test
    void shouldApplyTheMigrationsOnceAndThenReportTheSchemaUpToDate() throws Exception {
        ClickHouseTestServer.resetSchema();
        ClickHouseTestServer.execute("DROP TABLE IF EXISTS " + Migrations.HISTORY_TABLE);

        String first = migrate();
        String second = migrate();

        assertThat(first).isEqualTo("depthflow migrate: applied V001__poll_pipeline.sql\n");
        assertThat(second).isEqualTo("depthflow migrate: schema up to date (" + Migrations.available().size() + " migrations)\n");
        assertThat(ClickHouseTestServer.query("SELECT name FROM " + Migrations.HISTORY_TABLE))
                .containsExactly(List.of("V001__poll_pipeline.sql"));
    }

    private static String migrate() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"migrate", "--clickhouse-url", ClickHouseTestServer.jdbcUrl()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
