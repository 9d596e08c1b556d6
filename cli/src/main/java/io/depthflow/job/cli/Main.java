package io.depthflow.job.cli;

import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code bin/depthflow} command line: {@code run}, {@code demo}, {@code quote}, {@code sql},
 * {@code migrate}, {@code simulate}, {@code record}, {@code verify}, {@code dashboard}. Bad
 * arguments get one line on stderr and exit code 2; a command that fails on its input gets one line
 * and exit code 1; never a stack trace for either.
 */
public final class Main {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: bin/depthflow <command> [options]",
                    "",
                    "  run        run the pipeline in a local Flink mini cluster (live exchanges, or --replay FILE)",
                    "  demo       run it against the bundled exchange simulator on a fast clock (no internet needed)",
                    "  quote      price market orders on one saved REST book response, print JSON",
                    "  route      split market orders across venues' saved REST books, fees included, print JSON",
                    "  sql        run a query on the configured or embedded ClickHouse",
                    "  migrate    apply the ClickHouse schema migrations (as a user allowed to change the schema)",
                    "  simulate   serve both exchanges' REST book endpoints on localhost",
                    "  record     poll the exchanges and write a capture file (JSON Lines)",
                    "  verify     replay a WebSocket capture through the stream book code, print the figures as JSON",
                    "  dashboard  serve the live web dashboard over an existing ClickHouse",
                    "",
                    "bin/depthflow <command> --help shows a command's options.");

    private Main() {}

    public static void main(String[] args) {
        logDirectory(args);
        System.exit(execute(args, System.out, System.err));
    }

    /**
     * Points the log file ({@code deploy/log4j2-cli.properties}: {@code
     * ${depthflow.log.dir}/depthflow.log}) into the command's data directory, {@code
     * <--data-dir>/logs} (default {@code ./data/logs}, for {@code demo} {@code ./data-demo/logs}),
     * unless {@code bin/depthflow} was given {@code DEPTHFLOW_LOG_DIR}. Runs before the first
     * logger is created, since log4j reads the property once.
     */
    static void logDirectory(String[] args) {
        if (System.getProperty("depthflow.log.dir") != null) {
            return;
        }
        String dataDir =
                args.length > 0 && args[0].equals("demo") ? DemoCommand.DEFAULT_DATA_DIR : "data";
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--data-dir") && i + 1 < args.length) {
                dataDir = args[i + 1];
            } else if (args[i].startsWith("--data-dir=")) {
                dataDir = args[i].substring("--data-dir=".length());
            }
        }
        System.setProperty(
                "depthflow.log.dir",
                java.nio.file.Path.of(dataDir, "logs").toAbsolutePath().toString());
    }

    /** Runs one command; returns the process exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0
                || args[0].equals("--help")
                || args[0].equals("-h")
                || args[0].equals("help")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        boolean help = Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h");
        try {
            switch (command) {
                case "run":
                    if (help) {
                        out.println(RunOptions.USAGE);
                        return 0;
                    }
                    return RunCommand.run(RunOptions.parse(rest), out, err);
                case "demo":
                    if (help) {
                        out.println(DemoCommand.USAGE);
                        return 0;
                    }
                    return DemoCommand.run(rest, out, err);
                case "quote":
                    if (help) {
                        out.println(QuoteCommand.USAGE);
                        return 0;
                    }
                    return QuoteCommand.run(rest, out);
                case "route":
                    return help ? RouteCommand.help(out) : RouteCommand.run(rest, out);
                case "sql":
                    if (help) {
                        out.println(SqlCommand.USAGE);
                        return 0;
                    }
                    return SqlCommand.run(rest, out);
                case "migrate":
                    if (help) {
                        out.println(MigrateCommand.USAGE);
                        return 0;
                    }
                    return MigrateCommand.run(rest, out, err);
                case "simulate":
                    if (help) {
                        out.println(SimulateCommand.USAGE);
                        return 0;
                    }
                    return SimulateCommand.run(rest, out);
                case "record":
                    if (help) {
                        out.println(RecordCommand.USAGE);
                        return 0;
                    }
                    return RecordCommand.run(rest, out, err);
                case "verify":
                    if (help) {
                        out.println(VerifyCommand.USAGE);
                        return 0;
                    }
                    return VerifyCommand.run(rest, out);
                case "dashboard":
                    if (help) {
                        out.println(DashboardCommand.USAGE);
                        return 0;
                    }
                    return DashboardCommand.run(rest, err);
                default:
                    err.println(
                            "depthflow: unknown command '"
                                    + command
                                    + "' (commands: run, demo, quote, sql, migrate, simulate, record, verify, dashboard)");
                    return 2;
            }
        } catch (UsageException e) {
            err.println("depthflow " + e.getMessage());
            return 2;
        } catch (CommandException e) {
            err.println("depthflow " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("depthflow " + command + ": interrupted");
            return 130;
        } catch (Exception e) {
            // Unexpected: still one line on the terminal; the log file has the stack trace. WARN,
            // not ERROR: the CLI's log configuration copies ERROR to the terminal.
            org.slf4j.LoggerFactory.getLogger(Main.class).warn("depthflow {} failed", command, e);
            err.println("depthflow " + command + ": " + rootMessage(e));
            return 1;
        }
    }

    /** The cause of {@code e} in words, one line ({@link Messages#cause}). */
    static String rootMessage(Throwable e) {
        return Messages.cause(e);
    }
}
