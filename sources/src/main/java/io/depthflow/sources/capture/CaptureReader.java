package io.depthflow.sources.capture;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.RawMessage;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a capture file line by line as {@link RawMessage}s, by the same rules as the job's replay
 * and raw-log readers ({@link EnvelopeValidator}). Blank lines are skipped; a line that cannot be
 * used (not UTF-8, not a capture record, an invalid envelope, a time out of range or a jump) throws
 * {@link CaptureFormatException} naming the source, the line number and the reason ({@code
 * capture.jsonl:17: not a capture record: missing field 'payload'}); reading may go on with the
 * next line. Not thread-safe.
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
    private final InputStream bytes;
    private final String name;
    private final EnvelopeValidator validator = new EnvelopeValidator(System::currentTimeMillis);
    private long lineNumber;
    private RawMessage next;

    private CaptureReader(Reader in, String name) {
        this.in = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        this.bytes = null;
        this.name = name;
    }

    private CaptureReader(InputStream bytes, String name) {
        this.in = null;
        this.bytes = new BufferedInputStream(bytes, 1 << 16);
        this.name = name;
    }

    /** Reads the file's bytes, so that a line that is not UTF-8 is reported, not repaired. */
    public static CaptureReader open(Path file) throws IOException {
        return new CaptureReader(Files.newInputStream(file), file.toString());
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
        byte[] line;
        do {
            line = nextLine();
            if (line == null) {
                return null;
            }
            lineNumber++;
        } while (isBlank(line));
        DecodedLine d = validator.decode(line, name + ":" + lineNumber);
        if (!d.isUsable()) {
            throw new CaptureFormatException(d.error.message);
        }
        return d.message;
    }

    private byte[] nextLine() throws IOException {
        if (in != null) {
            String text = in.readLine();
            return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        int b = bytes.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            line.write(b);
            b = bytes.read();
        }
        byte[] read = line.toByteArray();
        return read.length > 0 && read[read.length - 1] == '\r'
                ? Arrays.copyOf(read, read.length - 1)
                : read;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
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
        if (in != null) {
            in.close();
        } else {
            bytes.close();
        }
    }
}
