package io.depthflow.job.cli;

import io.depthflow.job.dashboard.DashboardServer;
import io.depthflow.job.options.RunOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's command line: {@code dashboard} and the {@code run} flags. */
class DashboardCommandTest {

    private static String[] exec(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {
            String.valueOf(code),
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void shouldBeACommandWithItsOwnHelp() {
        String[] r = exec("dashboard", "--help");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1])
                .startsWith("usage: bin/depthflow dashboard [OPTIONS]")
                .contains("--clickhouse-url=URL")
                .contains("--data-dir=DIR")
                .contains("--port=P")
                .contains("--bind=ADDR");
        assertThat(exec("--help")[1])
                .contains("  dashboard  serve the live web dashboard over an existing ClickHouse");
    }

    @Test
    void shouldRefuseBadArgumentsWithOneLine() {
        String[] both =
                exec(
                        "dashboard",
                        "--clickhouse-url",
                        "jdbc:clickhouse://127.0.0.1:1/default",
                        "--data-dir",
                        "x");
        assertThat(both[0]).isEqualTo("2");
        assertThat(both[2])
                .isEqualTo(
                        "depthflow dashboard: give either --clickhouse-url or --data-dir, not both\n");
        String[] extra = exec("dashboard", "now");
        assertThat(extra[0]).isEqualTo("2");
        assertThat(extra[2].lines()).hasSize(1);
    }

    @Test
    void shouldTakeTheDashboardFlagsOfRun() throws Exception {
        RunOptions defaults = RunOptions.parse(new String[0]);
        assertThat(defaults.dashboardPort).isEqualTo(8088);
        assertThat(defaults.dashboardBind).isEqualTo("127.0.0.1");
        RunOptions set =
                RunOptions.parse(
                        new String[] {"--dashboard-port", "9000", "--dashboard-bind", "0.0.0.0"});
        assertThat(set.dashboardPort).isEqualTo(9000);
        assertThat(set.dashboardBind).isEqualTo("0.0.0.0");
        assertThat(RunOptions.parse(new String[] {"--no-dashboard"}).dashboardPort).isEqualTo(-1);
    }

    @Test
    void shouldMoveToTheNextPortWhenTheGivenOneIsBusy() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                DashboardServer s =
                        DashboardCommand.start(
                                "jdbc:clickhouse://127.0.0.1:1/default",
                                "127.0.0.1",
                                busy.getLocalPort())) {
            assertThat(s.port())
                    .isGreaterThan(busy.getLocalPort())
                    .isLessThan(busy.getLocalPort() + 20);
            assertThat(s.url()).isEqualTo("http://127.0.0.1:" + s.port() + "/");
        }
    }
}
