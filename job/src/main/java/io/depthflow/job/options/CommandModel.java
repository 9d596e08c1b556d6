package io.depthflow.job.options;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the picocli model ({@link CommandSpec}) of a {@code bin/depthflow} command and parses a
 * command line against it. The model is the one source of a command's options: picocli matches the
 * arguments to it and prints {@code --help} from it. It is built in code rather than from
 * annotations because some options come from the venue registry ({@code --<venue>-url} for every
 * registered venue). Typed options ({@link #duration}, {@link #integer}, {@link #wholeNumber}) are
 * converted and range-checked by picocli with our converters; the others are lists of strings (they
 * may repeat; the last wins for a single value) that the command checks. Every refusal is a one
 * line {@link UsageException} naming the command and the option. Parsing errors (an unknown option,
 * a missing value) are one line too: picocli's own multi-line messages never reach the user.
 *
 * <p>Lives in {@code job.options}, not {@code job.cli}, because the cluster entry ({@link
 * io.depthflow.job.DepthflowJob#main}) parses {@code run}'s model ({@link RunOptions#spec()}).
 */
public final class CommandModel {

    /** The program name in synopses and messages. */
    public static final String PROGRAM = "bin/depthflow";

    private static final int WIDTH = 100;

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private static final Pattern NO_VALUE =
            Pattern.compile("option '([^']+)' should be specified without");

    private static final Pattern EXPECTED_VALUE =
            Pattern.compile("Expected parameter for option '([^']+)'");

    private CommandModel() {}

    /**
     * A command named {@code name} with a one-line {@code header} (shown in the command list of
     * {@code bin/depthflow --help}) and further description lines under its synopsis. It has {@code
     * -h, --help}.
     */
    public static CommandSpec command(String name, String summary, String... description) {
        CommandSpec spec = CommandSpec.create().name(name);
        String[] lines = new String[description.length + 1];
        lines[0] = summary;
        System.arraycopy(description, 0, lines, 1, description.length);
        spec.usageMessage()
                .description(lines)
                .synopsisHeading("usage: ")
                .abbreviateSynopsis(true)
                .descriptionHeading("%n")
                .optionListHeading("%n")
                .parameterListHeading("%n")
                .sortOptions(false)
                .width(WIDTH);
        spec.parser()
                .overwrittenOptionsAllowed(true)
                // "@file" is a value like any other (no picocli argument files)
                .expandAtFiles(false)
                // a value may start with "-" ("-1", "-group"); one starting with "--" is
                // refused after parsing (see parse), a known option is never a value
                .unmatchedOptionsAllowedAsOptionParameters(true)
                .caseInsensitiveEnumValuesAllowed(false)
                .abbreviatedOptionsAllowed(false);
        spec.addOption(
                OptionSpec.builder("-h", "--help")
                        .usageHelp(true)
                        .description("print this help and exit")
                        .build());
        return spec;
    }

    /**
     * An option with a value, e.g. {@code value(spec, "--interval", "D", "poll interval")}; {@code
     * names} may hold a short alias first ({@code "-f", "--file"}).
     */
    public static void value(
            CommandSpec spec, String[] names, String label, String... description) {
        spec.addOption(
                OptionSpec.builder(names)
                        .type(List.class)
                        .auxiliaryTypes(String.class)
                        .arity("1")
                        .paramLabel(label)
                        .hideParamSyntax(true)
                        .description(description)
                        .build());
    }

    /** An option with a value: {@link #value(CommandSpec, String[], String, String...)}. */
    public static void value(CommandSpec spec, String name, String label, String... description) {
        value(spec, new String[] {name}, label, description);
    }

    /**
     * An option whose value is a duration, {@code 500ms}, {@code 60s} (or {@code 60}), {@code 5m}
     * or {@code 1h}, positive.
     */
    public static void duration(CommandSpec spec, String name, String... description) {
        typed(spec, name, Duration.class, CommandModel::duration, "D", description);
    }

    /** An option whose value is an integer from {@code min} to {@code max}. */
    public static void integer(
            CommandSpec spec, String name, String label, int min, int max, String... description) {
        typed(
                spec,
                name,
                Integer.class,
                text -> {
                    try {
                        int n = Integer.parseInt(text);
                        if (n >= min && n <= max) {
                            return n;
                        }
                    } catch (NumberFormatException e) {
                        // the message below
                    }
                    throw new TypeConversionException(
                            "must be an integer from "
                                    + min
                                    + " to "
                                    + max
                                    + ", got '"
                                    + text
                                    + "'");
                },
                label,
                description);
    }

    /** An option whose value is a whole number (a {@code long}, negative too). */
    public static void wholeNumber(
            CommandSpec spec, String name, String label, String... description) {
        typed(
                spec,
                name,
                Long.class,
                text -> {
                    try {
                        return Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        throw new TypeConversionException(
                                "must be a whole number, got '" + text + "'");
                    }
                },
                label,
                description);
    }

    private static <T> void typed(
            CommandSpec spec,
            String name,
            Class<T> type,
            ITypeConverter<T> converter,
            String label,
            String... description) {
        spec.addOption(
                OptionSpec.builder(name)
                        .type(type)
                        .arity("1")
                        .converters(converter)
                        .paramLabel(label)
                        .hideParamSyntax(true)
                        .description(description)
                        .build());
    }

    /** {@code 500ms}, {@code 60s} (or {@code 60}), {@code 5m}, {@code 1h}; positive. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new TypeConversionException(
                    "must be a duration like 500ms, 60s, 5m or 1h, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d =
                switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
        if (d.isZero()) {
            throw new TypeConversionException("must be positive, got '" + text + "'");
        }
        return d;
    }

    /** An option without a value. */
    public static void flag(CommandSpec spec, String name, String... description) {
        spec.addOption(
                OptionSpec.builder(name)
                        .type(boolean.class)
                        .arity("0")
                        .description(description)
                        .build());
    }

    /** The command's positional arguments, any number of them (the command checks how many). */
    public static void positionals(CommandSpec spec, String label, String... description) {
        spec.addPositional(
                PositionalParamSpec.builder()
                        .type(List.class)
                        .auxiliaryTypes(String.class)
                        .arity("0..*")
                        .paramLabel(label)
                        .hideParamSyntax(true)
                        .description(description)
                        .build());
    }

    /** The {@code --help} text of a command, as picocli renders its model. */
    public static String usage(CommandSpec spec) {
        CommandLine cl = new CommandLine(spec);
        if (!spec.name().equals(PROGRAM)) {
            // "usage: bin/depthflow run [OPTIONS]": the synopsis names the program too
            cl.setCommandName(PROGRAM + " " + spec.name());
        }
        return cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
    }

    /** Whether {@code argv} asks for help ({@code -h} or {@code --help} anywhere). */
    public static boolean asksForHelp(String[] argv) {
        for (String a : argv) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses {@code argv} against {@code spec}. Errors become one line: {@code <command>: unknown
     * option --x (see bin/depthflow <command> --help)}, {@code <command>: --x needs a value},
     * {@code <command>: unexpected argument 'y'}.
     */
    public static ParsedOptions parse(CommandSpec spec, String[] argv) throws UsageException {
        String command = spec.name();
        CommandLine cl = new CommandLine(spec);
        ParseResult result;
        try {
            result = cl.parseArgs(argv);
        } catch (ParameterException e) {
            throw oneLine(command, e);
        }
        for (OptionSpec o : result.matchedOptions()) {
            for (String v : o.originalStringValues()) {
                if (o.arity().max() > 0 && v.startsWith("--")) {
                    // "--data-dir --no-such": the value was forgotten, the next word is a flag
                    throw new UsageException(command + ": " + o.longestName() + " needs a value");
                }
            }
        }
        return new ParsedOptions(command, result);
    }

    private static UsageException oneLine(String command, ParameterException e) {
        // a converter's refusal: "run: --interval must be a duration like ..., got 'soon'"
        if (e.getCause() instanceof TypeConversionException bad
                && e.getArgSpec() instanceof OptionSpec option) {
            return new UsageException(
                    command + ": " + option.longestName() + " " + bad.getMessage());
        }
        // "Expected parameter for option '--interval' but found '--quiet'", also inside an
        // "Unknown option: '--x'; Expected parameter ..." when the next argument is unknown
        Matcher expected = EXPECTED_VALUE.matcher(String.valueOf(e.getMessage()));
        if (expected.find()) {
            return new UsageException(command + ": " + expected.group(1) + " needs a value");
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            if (first.startsWith("-") && first.length() > 1 && !isNumber(first)) {
                int eq = first.indexOf('=');
                String name = eq > 0 ? first.substring(0, eq) : first;
                return new UsageException(
                        command
                                + ": unknown option "
                                + name
                                + " (see "
                                + PROGRAM
                                + " "
                                + command
                                + " --help)");
            }
            return new UsageException(command + ": unexpected argument '" + first + "'");
        }
        if (e instanceof CommandLine.MissingParameterException m) {
            String option = optionOf(e, m.getMissing());
            if (option != null) {
                return new UsageException(command + ": " + option + " needs a value");
            }
        }
        String message = CommandLineText.firstLine(e.getMessage());
        Matcher noValue = NO_VALUE.matcher(message);
        if (noValue.find()) {
            return new UsageException(command + ": " + noValue.group(1) + " takes no value");
        }
        return new UsageException(command + ": " + CommandLineText.uncapitalize(message));
    }

    private static String optionOf(ParameterException e, List<?> missing) {
        if (e.getArgSpec() instanceof OptionSpec o) {
            return o.longestName();
        }
        if (missing != null && !missing.isEmpty() && missing.get(0) instanceof OptionSpec o) {
            return o.longestName();
        }
        return null;
    }

    private static boolean isNumber(String s) {
        return s.matches("-\\d+(\\.\\d+)?");
    }

    /** Small text helpers for the one-line messages. */
    static final class CommandLineText {
        private CommandLineText() {}

        static String firstLine(String s) {
            if (s == null) {
                return "bad arguments";
            }
            int nl = s.indexOf('\n');
            return (nl < 0 ? s : s.substring(0, nl)).strip();
        }

        static String uncapitalize(String s) {
            return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
    }
}
