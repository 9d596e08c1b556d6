package io.depthflow.job.cli;

import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.CaptureFormatException;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.ws.ConnectionEvent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@code record} run added to its capture file, per venue: the messages (a REST response
 * that parses to a book; a WebSocket message) and the failures (a poll that failed or did not
 * parse, with its error type; a WebSocket connection that dropped or went stale). Read back from
 * the file after recording, past the lines that were there before, so it counts what a replay will
 * see.
 */
final class RecordSummary {

    /** Per exchange: messages, failures, failures by type, first failure. */
    private static final class Venue {
        long messages;
        long failures;
        final Map<String, Long> byType = new TreeMap<>();
        String firstFailure;

        void fail(String type, String detail) {
            failures++;
            byType.merge(type, 1L, Long::sum);
            if (firstFailure == null) {
                firstFailure = detail;
            }
        }
    }

    private final Map<String, Venue> venues = new TreeMap<>();
    private long lines;

    private RecordSummary() {}

    /** The number of non-blank lines in {@code file} now (0 when it does not exist). */
    static long linesIn(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.filter(l -> !l.isBlank()).count();
        }
    }

    /** The summary of the lines of {@code file} after its first {@code skip}. */
    static RecordSummary of(Path file, long skip, Iterable<String> exchanges) throws IOException {
        RecordSummary s = new RecordSummary();
        for (String exchange : exchanges) {
            s.venues.put(exchange, new Venue());
        }
        if (!Files.exists(file)) {
            return s;
        }
        // Each line by itself (CaptureFormat.decode), not through CaptureReader: the reader judges
        // lines against each other as a replay does (a line more than an hour after the previous
        // one is a time jump), and a file that a record appends to hours later would then lose
        // this run's first line from the summary.
        try (var lines = Files.lines(file, java.nio.charset.StandardCharsets.UTF_8)) {
            java.util.Iterator<String> it = lines.filter(l -> !l.isBlank()).skip(skip).iterator();
            while (it.hasNext()) {
                String line = it.next();
                s.lines++;
                RawMessage raw;
                try {
                    raw = CaptureFormat.decode(line);
                } catch (CaptureFormatException e) {
                    continue;
                }
                s.count(raw);
            }
        }
        return s;
    }

    private void count(RawMessage raw) {
        Venue v = venues.computeIfAbsent(raw.exchange, e -> new Venue());
        if (RawMessage.KIND_WS.equals(raw.kind)) {
            v.messages++;
        } else if (RawMessage.KIND_WS_EVENT.equals(raw.kind)) {
            ConnectionEvent event = ConnectionEvent.of(raw.payload);
            if (event == ConnectionEvent.DISCONNECTED || event == ConnectionEvent.STALE) {
                v.fail(
                        event.wireName(),
                        raw.exchange + " " + event.wireName() + ": " + detail(raw.payload));
            }
        } else if (raw.error != null) {
            v.fail("transport", Messages.transportError(raw.error));
        } else {
            try {
                BookParsers.parse(raw);
                v.messages++;
            } catch (BookParseException e) {
                v.fail(e.errorType(), e.getMessage());
            }
        }
    }

    /**
     * Prints the summary of what this run added to {@code file} (it had {@code before} lines) and
     * returns the exit code: 0 when at least one message was recorded; a {@link CommandException}
     * when nothing or nothing but failures was.
     */
    static int finish(Path file, long before, Iterable<String> exchanges, PrintStream err)
            throws IOException, CommandException {
        RecordSummary s = of(file, before, exchanges);
        s.print(err);
        err.println("depthflow: wrote " + s.lines() + " lines to " + file);
        if (!s.anyMessage()) {
            String first = s.firstFailure();
            throw new CommandException(
                    "record: "
                            + (first == null
                                    ? "nothing was recorded"
                                    : "nothing but failures was recorded; the first: "
                                            + Messages.oneLine(first))
                            + " (no internet? bin/depthflow simulate serves both exchanges locally)");
        }
        return 0;
    }

    private static String detail(String payload) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(payload)
                    .path("detail")
                    .asText("");
        } catch (IOException e) {
            return payload;
        }
    }

    /** Lines this run wrote. */
    long lines() {
        return lines;
    }

    /** Whether at least one message (not a failure) was recorded. */
    boolean anyMessage() {
        return venues.values().stream().anyMatch(v -> v.messages > 0);
    }

    /** The first failure recorded, in words, or null. */
    String firstFailure() {
        return venues.values().stream()
                .map(v -> v.firstFailure)
                .filter(f -> f != null)
                .findFirst()
                .orElse(null);
    }

    /** One line per venue: {@code kraken 12 messages, 2 failures (http_status 2)}. */
    void print(PrintStream err) {
        venues.forEach(
                (exchange, v) ->
                        err.println(
                                String.format(
                                        "depthflow: %-10s %d messages, %d failures%s",
                                        exchange,
                                        v.messages,
                                        v.failures,
                                        v.byType.isEmpty()
                                                ? ""
                                                : " "
                                                        + v.byType
                                                                .toString()
                                                                .replace('=', ' ')
                                                                .replace('{', '(')
                                                                .replace('}', ')'))));
    }
}
