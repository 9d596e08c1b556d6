package io.depthflow.job.cli;

import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.UsageException;
import io.depthflow.job.stream.StreamVerifier;
import io.depthflow.sources.capture.CaptureFormatException;
import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.model.RawMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code bin/depthflow verify FILE}: replays a WebSocket capture ({@code "kind":"ws"} lines and
 * connection events) through the stream job's own parsing and book code, without Flink ({@link
 * StreamVerifier}), prints one JSON object with the figures, and exits 0 only when nothing failed
 * (1 otherwise: a checksum, a sequence gap, a connection failure, a malformed payload, an exchange
 * error or an unreadable line).
 */
final class VerifyCommand {

    private static final Logger LOG = LoggerFactory.getLogger(VerifyCommand.class);

    /** The picocli model of {@code verify}: its argument and {@code --help}. */
    static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "verify",
                        "replay a WebSocket capture through the stream book code, print the figures as JSON",
                        "Replays a WebSocket capture (bin/depthflow record --mode stream) through the"
                                + " stream job's parsing and book code and prints one JSON object:"
                                + " messages, checksum_ok, checksum_failed, sequence_gaps, resyncs,"
                                + " books...",
                        "Exit code 0 when nothing failed, 1 otherwise (also when the file holds no"
                                + " book message).");
        CommandModel.positionals(s, "FILE", "the capture file");
        return s;
    }

    private VerifyCommand() {}

    /** What a capture without book messages holds instead, in words. */
    private static String contents(StreamVerifier v, String firstUnreadable) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (v.connectionEvents() > 0) {
            parts.add(
                    v.connectionEvents()
                            + " connection events, "
                            + v.errorsByType().values().stream().mapToLong(Long::longValue).sum()
                            + " errors: "
                            + v.errorsByType().keySet());
        }
        if (v.otherLines() > 0) {
            parts.add(
                    v.otherLines()
                            + " REST poll records (a poll capture: replay it with bin/depthflow run --replay)");
        }
        if (v.unreadableLines() > 0) {
            parts.add(v.unreadableLines() + " unreadable lines, the first " + firstUnreadable);
        }
        return parts.isEmpty() ? "it is empty" : String.join("; ", parts);
    }

    static int run(String[] argv, PrintStream out) throws UsageException, CommandException {
        ParsedOptions a = CommandModel.parse(spec(), argv);
        if (a.positional().size() != 1) {
            throw new UsageException(
                    "verify: expected exactly one capture FILE (see bin/depthflow verify --help)");
        }
        Path file = Path.of(a.positional().get(0));
        if (!file.toFile().isFile()) {
            throw new UsageException("verify: " + file + ": no such file");
        }
        StreamVerifier verifier = new StreamVerifier();
        String firstUnreadable = null;
        try (CaptureReader reader = CaptureReader.open(file)) {
            while (true) {
                RawMessage raw;
                try {
                    raw = reader.read();
                } catch (CaptureFormatException e) {
                    LOG.warn("{}", e.getMessage());
                    if (firstUnreadable == null) {
                        firstUnreadable = e.getMessage();
                    }
                    verifier.unreadableLine();
                    continue;
                }
                if (raw == null) {
                    break;
                }
                verifier.accept(raw);
            }
        } catch (IOException e) {
            throw new CommandException("verify: cannot read " + file + ": " + Messages.cause(e));
        }
        if (verifier.bookMessages() == 0) {
            // Nothing was checked, so nothing is known to be right: not ok.
            throw new CommandException(
                    "verify: "
                            + file
                            + " holds no WebSocket book messages, nothing to verify ("
                            + contents(verifier, firstUnreadable)
                            + "); record one with bin/depthflow record --mode stream");
        }
        out.println(verifier.toJson());
        return verifier.failed() ? 1 : 0;
    }
}
