package io.depthflow.sources.capture;

import io.depthflow.sources.model.RawMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureFilesTest {

    private static final List<RawMessage> MESSAGES =
            List.of(
                    RawMessage.restResponse(
                            "coinbase",
                            "BTC/USD",
                            1_795_175_103_203L,
                            200,
                            "{\"bids\":[[\"90000.01\",\"0.5\",2]],\"asks\":[[\"90000.02\",\"1.25000\",1]],\"sequence\":1}"),
                    RawMessage.restResponse(
                            "kraken", "BTC/USD", 1_795_175_103_911L, 500, "<html>500</html>\n"),
                    RawMessage.restFailure(
                            "kraken", "ETH/USD", 1_795_175_104_000L, "ConnectException"));

    @Test
    void shouldAppendLinesAndReadThemBackInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("capture.jsonl");
        try (CaptureWriter writer = CaptureWriter.append(file)) {
            writer.write(MESSAGES.get(0));
            writer.write(MESSAGES.get(1));
        }
        try (CaptureWriter writer = CaptureWriter.append(file)) {
            writer.write(MESSAGES.get(2));
            assertThat(writer.linesWritten()).isEqualTo(1);
        }

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(3);
        assertThat(CaptureReader.readAll(file)).containsExactlyElementsOf(MESSAGES);
    }

    @Test
    void shouldFlushEveryLineSoTheFileCanBeReadWhileWritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("live.jsonl");
        try (CaptureWriter writer = CaptureWriter.append(file)) {
            writer.write(MESSAGES.get(0));

            assertThat(CaptureReader.readAll(file)).containsExactly(MESSAGES.get(0));
        }
    }

    @Test
    void shouldSkipBlankLinesAndNameTheLineOfAnError() throws Exception {
        String text =
                CaptureFormat.encode(MESSAGES.get(0))
                        + "\n\n"
                        + CaptureFormat.encode(MESSAGES.get(1))
                        + "\n{\"exchange\":\"kraken\"}\n";
        List<RawMessage> read = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.of(new StringReader(text), "day1.jsonl")) {
            assertThatThrownBy(() -> reader.forEach(read::add))
                    .isInstanceOf(CaptureFormatException.class)
                    .hasMessage("day1.jsonl:4: not a capture record: missing field 'market'");
            assertThat(reader.lineNumber()).isEqualTo(4);
        }
        assertThat(read).containsExactly(MESSAGES.get(0), MESSAGES.get(1));
    }

    @Test
    void shouldReportALineThatIsNotUtf8OrHasAnInvalidEnvelopeAndReadOn(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("odd.jsonl");
        byte[] notUtf8 = {'{', (byte) 0xff, '}'};
        String http70000 =
                CaptureFormat.encode(MESSAGES.get(1))
                        .replace("\"http_status\":500", "\"http_status\":70000");
        try (var out = Files.newOutputStream(file)) {
            out.write(notUtf8);
            out.write(
                    ("\n" + http70000 + "\n" + CaptureFormat.encode(MESSAGES.get(0)) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
        List<String> problems = new ArrayList<>();
        List<RawMessage> read = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file)) {
            for (int i = 0; i < 3; i++) {
                try {
                    read.add(reader.read());
                } catch (CaptureFormatException e) {
                    problems.add(e.getMessage());
                }
            }
            assertThat(reader.read()).isNull();
        }

        assertThat(problems)
                .containsExactly(
                        file + ":1: not UTF-8 at byte 1 (payload: the line in base64)",
                        file + ":2: http_status 70000 is not an HTTP status (100..599)");
        assertThat(read).containsExactly(MESSAGES.get(0));
    }
}
