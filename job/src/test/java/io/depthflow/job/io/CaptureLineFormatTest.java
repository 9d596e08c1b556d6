package io.depthflow.job.io;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.local.LocalDataInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureLineFormatTest {

    @Test
    void shouldReadBytesWithLineNumbersKeepingBadBytesAndALastLineCutShort(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("c.jsonl");
        byte[] bytes = {'a', '\r', '\n', '\n', (byte) 0xff, (byte) 0xfe, '\n', '{', '"'};
        Files.write(file, bytes);

        List<String> lines = read(file, 0);

        assertThat(lines).containsExactly("1:61", "2:", "3:fffe", "4:7b22");
    }

    @Test
    void shouldKeepTheFilesLineNumbersWhenStartedInsideTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.jsonl");
        Files.write(file, "first\nsecond\nthird\n".getBytes(StandardCharsets.UTF_8));

        assertThat(read(file, "first\n".length()))
                .containsExactly("2:7365636f6e64", "3:7468697264");
    }

    private static List<String> read(Path file, long offset) throws Exception {
        List<String> out = new ArrayList<>();
        LocalDataInputStream in = new LocalDataInputStream(file.toFile());
        in.seek(offset);
        StreamFormat.Reader<CaptureLine> reader =
                new CaptureLineFormat().createReader(new Configuration(), in);
        for (CaptureLine line = reader.read(); line != null; line = reader.read()) {
            StringBuilder hex = new StringBuilder();
            for (byte b : line.bytes) {
                hex.append(String.format("%02x", b));
            }
            out.add(line.number + ":" + hex);
        }
        reader.close();
        return out;
    }
}
