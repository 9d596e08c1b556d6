package io.depthflow.sources.capture;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.RawMessage;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends {@link RawMessage}s to a capture file in {@link CaptureFormat}, one line each, flushed
 * after every line so that a crash loses at most the line being written and a reader can follow the
 * file while it grows. Creates the file (not its directory) if needed. Thread-safe.
 */
@PublicEvolving
public final class CaptureWriter implements Closeable {

    private final Writer out;
    private long lines;

    private CaptureWriter(Writer out) {
        this.out = out;
    }

    /** Opens {@code file} for appending. */
    public static CaptureWriter append(Path file) throws IOException {
        return new CaptureWriter(
                Files.newBufferedWriter(
                        file,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND));
    }

    public synchronized void write(RawMessage message) throws IOException {
        out.write(CaptureFormat.encode(message));
        out.write('\n');
        out.flush();
        lines++;
    }

    /** Lines written by this writer. */
    public synchronized long linesWritten() {
        return lines;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
