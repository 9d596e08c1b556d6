package io.depthflow.job.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A capture file as {@link CaptureLine}s: the bytes of each line (split at {@code \n}, a trailing
 * {@code \r} removed) and its line number. A last line without a line break is a line too (a
 * recorder killed mid-write leaves one cut short, which the decoder then records).
 *
 * <p>A reader restored from a checkpoint starts at a byte offset inside the file; it counts the
 * line breaks before that offset once, so line numbers stay those of the file.
 */
public final class CaptureLineFormat extends SimpleStreamFormat<CaptureLine> {

    private static final long serialVersionUID = 1L;

    @Override
    public StreamFormat.Reader<CaptureLine> createReader(
            Configuration config, FSDataInputStream stream) throws IOException {
        long start = stream.getPos();
        long linesBefore = 0;
        if (start > 0) {
            stream.seek(0);
            InputStream counting = new BufferedInputStream(stream, 1 << 16);
            for (long i = 0; i < start; i++) {
                int b = counting.read();
                if (b < 0) {
                    break;
                }
                if (b == '\n') {
                    linesBefore++;
                }
            }
            stream.seek(start);
        }
        return new LineReader(stream, linesBefore);
    }

    @Override
    public TypeInformation<CaptureLine> getProducedType() {
        return TypeInformation.of(CaptureLine.class);
    }

    private static final class LineReader implements StreamFormat.Reader<CaptureLine> {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        private long number;

        LineReader(FSDataInputStream stream, long linesBefore) {
            this.in = new BufferedInputStream(stream, 1 << 16);
            this.number = linesBefore;
        }

        @Override
        public CaptureLine read() throws IOException {
            line.reset();
            int b = in.read();
            if (b < 0) {
                return null;
            }
            while (b >= 0 && b != '\n') {
                line.write(b);
                b = in.read();
            }
            byte[] bytes = line.toByteArray();
            if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            return new CaptureLine(++number, bytes);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
