package io.depthflow.job.cli;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.dashboard.DashboardQueries;
import io.depthflow.job.dashboard.DashboardServer;
import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.UsageException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/depthflow dashboard [--clickhouse-url URL | --data-dir DIR] [--port P] [--bind ADDR]}:
 * the live dashboard of {@code run}, served over an existing ClickHouse (a job running on a
 * cluster, or a local run's data directory) until Ctrl-C.
 */
final class DashboardCommand {

    /** The picocli model of {@code dashboard}: its options and {@code --help}. */
    static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "dashboard",
                        "serve the live web dashboard over an existing ClickHouse",
                        "Serves the page until Ctrl-C.");
        ClickHouseTarget.options(s);
        CommandModel.integer(
                s, "--port", "P", 0, 65_535, "the page's port (default 8088; 0 = any free port)");
        CommandModel.value(
                s,
                "--bind",
                "ADDR",
                "the address to listen on (default 127.0.0.1; 0.0.0.0 = every interface)");
        return s;
    }

    private DashboardCommand() {}

    static int run(String[] argv, PrintStream err)
            throws UsageException, CommandException, InterruptedException {
        ParsedOptions a = CommandModel.parse(spec(), argv);
        if (a.has("--clickhouse-url") && a.has("--data-dir")) {
            throw new UsageException(
                    "dashboard: give either --clickhouse-url or --data-dir, not both");
        }
        int port = a.value("--port", 8088);
        String bind = a.get("--bind", "127.0.0.1");
        try (ClickHouseTarget target =
                        ClickHouseTarget.open(
                                a.get("--clickhouse-url", null),
                                Path.of(a.get("--data-dir", "data")),
                                err);
                DashboardServer server = start(target.jdbcUrl(), bind, port)) {
            err.println(
                    "depthflow: dashboard "
                            + server.url()
                            + " over "
                            + ClickHouseSinkOptions.redact(target.jdbcUrl())
                            + "; Ctrl-C stops");
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(stopped::countDown, "depthflow-dashboard-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            stopped.await();
            return 0;
        }
    }

    /**
     * The dashboard on {@code bind:port} over the ClickHouse at {@code jdbcUrl}; a busy port moves
     * to the next of the 20 above it (as the Flink web UI's does), port 0 takes any free one.
     */
    static DashboardServer start(String jdbcUrl, String bind, int port) throws CommandException {
        DashboardQueries queries =
                new DashboardQueries(
                        jdbcUrl, JobEnvironment.auth(JobEnvironment.sinkOptions(jdbcUrl)));
        IOException last = null;
        for (int p = port; p == port || (port != 0 && p < port + 20 && p <= 65_535); p++) {
            try {
                return DashboardServer.start(bind, p, queries);
            } catch (BindException busy) {
                last = busy;
            } catch (IOException e) {
                last = e;
                break;
            }
        }
        throw new CommandException(
                "dashboard: cannot listen on "
                        + bind
                        + ":"
                        + port
                        + ": "
                        + (last == null ? "" : last.getMessage()));
    }
}
