package io.depthflow.job.cli;

import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code bin/depthflow} command line: {@code run}, {@code demo}, {@code quote}, {@code sql},
 * {@code migrate}, {@code simulate}, {@code record}, {@code verify}, {@code dashboard}, each a
 * picocli model ({@link io.depthflow.job.options.CommandModel}) that parses its arguments and
 * prints its {@code --help}. Bad arguments get one line on stderr and exit code 2; a command that
 * fails on its input gets one line and exit code 1; never a stack trace for either.
 */
public final class Main {

    /** One command: its picocli model and what runs it. */
    private record Command(Supplier<CommandSpec> spec, Runner runner) {}

    @FunctionalInterface
    private interface Runner {
        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }

    /** The commands, in the order {@code bin/depthflow --help} lists them. */
    private static final Map<String, Command> COMMANDS = commands();

    private static Map<String, Command> commands() {
        Map<String, Command> c = new LinkedHashMap<>();
        c.put(
                "run",
                new Command(
                        RunOptions::spec,
                        (args, out, err) -> RunCommand.run(RunOptions.parse(args), out, err)));
        c.put("demo", new Command(DemoCommand::spec, DemoCommand::run));
        c.put(
                "quote",
                new Command(QuoteCommand::spec, (args, out, err) -> QuoteCommand.run(args, out)));
        c.put(
                "route",
                new Command(RouteCommand::spec, (args, out, err) -> RouteCommand.run(args, out)));
        c.put("sql", new Command(SqlCommand::spec, (args, out, err) -> SqlCommand.run(args, out)));
        c.put("migrate", new Command(MigrateCommand::spec, MigrateCommand::run));
        c.put(
                "simulate",
                new Command(
                        SimulateCommand::spec, (args, out, err) -> SimulateCommand.run(args, out)));
        c.put("record", new Command(RecordCommand::spec, RecordCommand::run));
        c.put(
                "verify",
                new Command(VerifyCommand::spec, (args, out, err) -> VerifyCommand.run(args, out)));
        c.put(
                "dashboard",
                new Command(
                        DashboardCommand::spec,
                        (args, out, err) -> DashboardCommand.run(args, err)));
        return Collections.unmodifiableMap(c);
    }

    /**
     * The picocli model of {@code bin/depthflow}: every command a subcommand, listed with its
     * header by {@code bin/depthflow --help}.
     */
    static CommandSpec spec() {
        CommandSpec root =
                CommandModel.command(
                        CommandModel.PROGRAM,
                        "Crypto order books into per-minute ClickHouse tables, on Flink.");
        root.usageMessage()
                .customSynopsis(CommandModel.PROGRAM + " <command> [options]")
                .commandListHeading("%nCommands:%n")
                .footer(
                        "%n"
                                + CommandModel.PROGRAM
                                + " <command> --help shows a command's options.");
        for (Map.Entry<String, Command> e : COMMANDS.entrySet()) {
            root.addSubcommand(e.getKey(), e.getValue().spec().get());
        }
        return root;
    }

    /** A new model of the command {@code name}; IllegalArgumentException if there is none. */
    static CommandSpec spec(String name) {
        Command c = COMMANDS.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no command " + name);
        }
        return c.spec().get();
    }

    /** The {@code --help} text of the command {@code name} (or of the program, for null). */
    static String usage(String name) {
        return CommandModel.usage(name == null ? spec() : spec(name));
    }

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
            (args.length == 0 ? err : out).println(usage(null));
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        Command c = COMMANDS.get(command);
        if (c == null) {
            err.println(
                    "depthflow: unknown command '"
                            + command
                            + "' (commands: "
                            + String.join(", ", COMMANDS.keySet())
                            + "; see "
                            + CommandModel.PROGRAM
                            + " --help)");
            return 2;
        }
        try {
            if (CommandModel.asksForHelp(rest)) {
                out.println(usage(command));
                return 0;
            }
            return c.runner().run(rest, out, err);
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
