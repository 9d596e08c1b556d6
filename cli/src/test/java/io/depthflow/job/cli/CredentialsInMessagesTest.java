package io.depthflow.job.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A password put in a ClickHouse URL never comes back in a message: bad URLs, unreachable servers,
 * for every command that takes {@code --clickhouse-url}.
 */
class CredentialsInMessagesTest {

    private static final String SECRET = "s3cret-in-url";

    @Test
    void shouldMaskAPasswordGivenInTheUrlInEveryError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String unreachable =
                "jdbc:clickhouse://127.0.0.1:" + closedPort + "/default?user=u&password=" + SECRET;
        String[][] commands = {
            {"run", "--clickhouse-url", "http://127.0.0.1:8123/?user=u&password=" + SECRET},
            {"sql", "--clickhouse-url", "jdbc:clickhouse://?password=" + SECRET, "SELECT 1"},
            {"migrate", "--clickhouse-url", unreachable},
            {"sql", "--clickhouse-url", unreachable, "SELECT 1"},
        };
        for (String[] args : commands) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code =
                    Main.execute(
                            args,
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(code).as(String.join(" ", args)).isPositive();
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .as(String.join(" ", args))
                    .isNotBlank()
                    .doesNotContain(SECRET);
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET);
        }
    }
}
