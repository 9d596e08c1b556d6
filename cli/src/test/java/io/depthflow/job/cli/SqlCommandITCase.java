package io.depthflow.job.cli;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.options.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.depthflow.job.cli.CliMessagesTest.assertOneClearLine;
import static io.depthflow.job.cli.CliMessagesTest.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code sql -f FILE}, {@code sql -} and the errors a real ClickHouse answers, on the test server.
 */
class SqlCommandITCase {

    @TempDir Path dir;

    /** Quotes inside the statement: the reason for -f and -. */
    private static final String QUOTED =
            "SELECT 'it''s', concat('a', \"b\") FROM (SELECT 'x' AS b) FORMAT TSV";

    @Test
    void shouldRunTheStatementOfAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("q.sql"), QUOTED + "\n");
        CliMessagesTest.Result r =
                exec(
                        "sql",
                        "--clickhouse-url",
                        ClickHouseTestServer.jdbcUrl(),
                        "-f",
                        file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("it\\'s\tax\n");
    }

    @Test
    void shouldRunTheStatementOfStandardInput() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code =
                SqlCommand.run(
                        new String[] {"--clickhouse-url", ClickHouseTestServer.jdbcUrl(), "-"},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(QUOTED.getBytes(StandardCharsets.UTF_8)));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("it\\'s\tax\n");

        assertThatThrownBy(
                        () ->
                                SqlCommand.run(
                                        new String[] {
                                            "--clickhouse-url", ClickHouseTestServer.jdbcUrl(), "-"
                                        },
                                        new PrintStream(
                                                new ByteArrayOutputStream(),
                                                true,
                                                StandardCharsets.UTF_8),
                                        new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(UsageException.class)
                .hasMessage("sql: the SQL statement is empty");
    }

    @Test
    void shouldCallAnUnknownFormatABadArgumentInOneLine() {
        CliMessagesTest.Result r =
                exec(
                        "sql",
                        "--clickhouse-url",
                        ClickHouseTestServer.jdbcUrl(),
                        "--format",
                        "Nope",
                        "SELECT 1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip())
                .isEqualTo("depthflow sql: --format Nope is not a ClickHouse output format");
    }

    @Test
    void shouldGiveClickHousesErrorOnceInOneLine() {
        CliMessagesTest.Result r =
                exec(
                        "sql",
                        "--clickhouse-url",
                        ClickHouseTestServer.jdbcUrl(),
                        "SELECT * FROM no_such_table_13");
        assertThat(r.code()).isEqualTo(1);
        String line = r.err().strip();
        assertOneClearLine(line.replace("DB::Exception:", "DB::Exception"), "sql");
        assertThat(line)
                .startsWith("depthflow sql: Code: 60. DB::Exception: ")
                .contains("no_such_table_13")
                .doesNotContain("(version");
        assertThat(line.split("DB::Exception", -1)).hasSize(2);
    }
}
