package io.depthflow.job.options;

import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A command line parsed by picocli against a {@link CommandModel} command, with the value checks
 * every command shares: each failure is a {@link UsageException} of one line that names the command
 * and the option ({@code run: --interval must be a duration like 500ms, 60s, 5m or 1h, got 'x'}).
 */
public final class ParsedOptions {

    private final String command;
    private final ParseResult result;

    ParsedOptions(String command, ParseResult result) {
        this.command = command;
        this.result = result;
    }

    public boolean has(String flag) {
        return result.hasMatchedOption(flag);
    }

    /** The options given, by their longest name, in order of first appearance. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (OptionSpec o : result.matchedOptions()) {
            names.add(o.longestName());
        }
        return names;
    }

    /** Every value given to {@code flag}, in order. */
    public List<String> all(String flag) {
        if (!has(flag)) {
            return List.of();
        }
        List<String> values = result.matchedOption(flag).getValue();
        return values == null ? List.of() : values;
    }

    /** The last value given to {@code flag}, or {@code def}. */
    public String get(String flag, String def) {
        List<String> v = all(flag);
        return v.isEmpty() ? def : v.get(v.size() - 1);
    }

    /** The positional arguments. */
    public List<String> positional() {
        List<String> out = new ArrayList<>();
        result.matchedPositionals()
                .forEach(
                        p -> {
                            List<String> v = p.getValue();
                            if (v != null) {
                                out.addAll(v);
                            }
                        });
        return out;
    }

    /** A comma-separated list option, repeats joined. */
    public List<String> list(String flag, List<String> def) {
        if (!has(flag)) {
            return def;
        }
        List<String> out = new ArrayList<>();
        for (String v : all(flag)) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /**
     * The converted value of a typed option ({@link CommandModel#duration}, {@link
     * CommandModel#integer}, {@link CommandModel#wholeNumber}), the last one given, or {@code def}.
     */
    public <T> T value(String flag, T def) {
        if (!has(flag)) {
            return def;
        }
        T v = result.matchedOption(flag).getValue();
        return v == null ? def : v;
    }

    public long positiveLong(String flag, String v) throws UsageException {
        try {
            long n = Long.parseLong(v.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(
                    command + ": " + flag + " must be a positive whole number, got '" + v + "'");
        }
    }

    public Path existingFile(String flag) throws UsageException {
        String v = required(flag);
        Path p = Path.of(v);
        if (!Files.isRegularFile(p)) {
            throw new UsageException(command + ": " + flag + " " + v + ": no such file");
        }
        return p;
    }

    public String required(String flag) throws UsageException {
        String v = get(flag, null);
        if (v == null) {
            throw new UsageException(command + ": " + flag + " is required");
        }
        return v;
    }

    /** Refuses positional arguments: {@code <command>: unexpected argument 'x'}. */
    public ParsedOptions noPositionals() throws UsageException {
        List<String> p = positional();
        if (!p.isEmpty()) {
            throw new UsageException(command + ": unexpected argument '" + p.get(0) + "'");
        }
        return this;
    }
}
