package io.depthflow.job.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small strict parser for {@code --flag value} command lines. Unknown flags, missing values and
 * malformed values are {@link UsageException}s naming the flag.
 */
public final class Args {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * @param valueFlags flags that take a value (may repeat)
     * @param booleanFlags flags without a value
     */
    public static Args parse(
            String command, String[] argv, Set<String> valueFlags, Set<String> booleanFlags)
            throws UsageException {
        Args a = new Args(command);
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.startsWith("--")) {
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (booleanFlags.contains(name)) {
                    if (value != null) {
                        throw new UsageException(command + ": " + name + " takes no value");
                    }
                    a.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                } else if (valueFlags.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                            throw new UsageException(command + ": " + name + " needs a value");
                        }
                        value = argv[++i];
                    }
                    a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException(
                            command
                                    + ": unknown option "
                                    + name
                                    + " (see bin/depthflow "
                                    + command
                                    + " --help)");
                }
            } else {
                a.positional.add(arg);
            }
        }
        return a;
    }

    public boolean has(String flag) {
        return values.containsKey(flag);
    }

    /** The flags given, in order of first appearance. */
    public Set<String> names() {
        return values.keySet();
    }

    public String get(String flag, String def) {
        List<String> v = values.get(flag);
        return v == null ? def : v.get(v.size() - 1);
    }

    public List<String> all(String flag) {
        return values.getOrDefault(flag, List.of());
    }

    public List<String> positional() {
        return positional;
    }

    /** A comma-separated list flag. */
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

    public Duration duration(String flag, Duration def) throws UsageException {
        return has(flag) ? parseDuration(flag, get(flag, null)) : def;
    }

    public Duration parseDuration(String flag, String text) throws UsageException {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new UsageException(
                    command
                            + ": "
                            + flag
                            + " must be a duration like 500ms, 60s, 5m or 1h, got '"
                            + text
                            + "'");
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
            throw new UsageException(
                    command + ": " + flag + " must be positive, got '" + text + "'");
        }
        return d;
    }

    public int intValue(String flag, int def, int min, int max) throws UsageException {
        if (!has(flag)) {
            return def;
        }
        String v = get(flag, null);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(
                    command
                            + ": "
                            + flag
                            + " must be an integer from "
                            + min
                            + " to "
                            + max
                            + ", got '"
                            + v
                            + "'");
        }
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
        String v = get(flag, null);
        if (v == null) {
            throw new UsageException(command + ": " + flag + " is required");
        }
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
}
