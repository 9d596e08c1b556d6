package io.depthflow.sources.capture;

import io.depthflow.sources.model.RawMessage;

import org.apache.flink.annotation.PublicEvolving;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a capture file line by line as {@link RawMessage}s. Blank lines are skipped; a line that
 * is not a capture record throws {@link CaptureFormatException} naming the source and line
 * number ({@code capture.jsonl:17: missing field 'payload'}). Not thread-safe.
 *
 * <pre>{@code
 * try (CaptureReader reader = CaptureReader.open(path)) {
 *     for (RawMessage raw : reader) { ... }
 * }
 * }</pre>
 */
@PublicEvolving
public final class CaptureReader implements Iterable<RawMessage>, Closeable {

    private final BufferedReader in;
    private final String name;
    private long lineNumber;
    private RawMessage next;

    private CaptureReader(Reader in, String name) {
        this.in = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        this.name = name;
    }

    public static CaptureReader open(Path file) throws IOException {
        return new CaptureReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Reads from {@code reader}; {@code name} appears in error messages. */
    public static CaptureReader of(Reader reader, String name) {
        return new CaptureReader(reader, name);
    }

    /** Every message of {@code file}. */
    public static List<RawMessage> readAll(Path file) throws IOException {
        List<RawMessage> messages = new ArrayList<>();
        try (CaptureReader reader = open(file)) {
            reader.forEach(messages::add);
        }
        return messages;
    }

    /** The next message, or null at the end of the input. */
    public RawMessage read() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                return null;
            }
            lineNumber++;
        } while (line.isBlank());
        try {
            return CaptureFormat.decode(line);
        } catch (CaptureFormatException e) {
            throw new CaptureFormatException(name + ":" + lineNumber + ": " + e.getMessage(), e);
        }
    }

    /** The number of the last line read, 1-based. */
    public long lineNumber() {
        return lineNumber;
    }

    /** Iterates over the remaining messages; I/O errors surface as {@link UncheckedIOException}. */
    @Override
    public Iterator<RawMessage> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = read();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public RawMessage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                RawMessage message = next;
                next = null;
                return message;
            }
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
