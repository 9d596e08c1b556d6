package io.depthflow.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.sources.capture.CaptureWriter;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/depthflow verify FILE} on captures of both exchanges, clean and faulty. */
class VerifyCommandTest {

    @TempDir Path dir;

    private record Result(int code, JsonNode json, String err) {}

    private Result verify(List<RawMessage> messages) throws Exception {
        Path file = dir.resolve("capture-" + System.nanoTime() + ".jsonl");
        try (CaptureWriter w = CaptureWriter.append(file)) {
            for (RawMessage m : messages) {
                w.write(m);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        new String[] {"verify", file.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.strip().lines()).as("one JSON object on one line").hasSize(1);
        return new Result(
                code, new ObjectMapper().readTree(text), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitZeroWithNoFailureOnACleanCaptureOfBothExchanges() throws Exception {
        Result r = verify(StreamScript.builder().seed(5).updates(300).build().messages());
        assertThat(r.code()).as(r.json().toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("messages").asLong()).isGreaterThan(1_000);
        assertThat(j.get("checksum_ok").asLong()).isGreaterThan(400);
        assertThat(j.get("checksum_failed").asLong()).isZero();
        assertThat(j.get("sequence_gaps").asLong()).isZero();
        assertThat(j.get("resyncs").asLong()).isZero();
        assertThat(j.get("books")).hasSize(4);
        for (JsonNode book : j.get("books")) {
            assertThat(book.get("status").asText()).isEqualTo("ok");
            assertThat(book.get("best_bid").decimalValue())
                    .isLessThan(book.get("best_ask").decimalValue());
        }
    }

    @Test
    void shouldExitOneAndCountACorruptedKrakenChecksum() throws Exception {
        Result r =
                verify(
                        StreamScript.builder()
                                .seed(5)
                                .updates(100)
                                .fault("kraken", StreamFault.CORRUPT_CHECKSUM, 50)
                                .build()
                                .messages());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.json().get("checksum_failed").asLong()).isEqualTo(1);
        assertThat(r.json().get("resyncs").asLong()).isEqualTo(1);
    }

    @Test
    void shouldExitOneAndCountADroppedCoinbaseMessage() throws Exception {
        Result r =
                verify(
                        StreamScript.builder()
                                .seed(5)
                                .updates(100)
                                .fault("coinbase", StreamFault.DROP_MESSAGE, 10)
                                .build()
                                .messages());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.json().get("sequence_gaps").asLong()).isEqualTo(1);
        assertThat(r.json().get("checksum_failed").asLong()).isZero();
    }

    @Test
    void shouldCountAnUnreadableLineAsAFailure() throws Exception {
        Path file = dir.resolve("cut.jsonl");
        // a good capture, then a line cut short (a capture with nothing else is not ok either:
        // CliMessagesTest)
        try (CaptureWriter w = CaptureWriter.append(file)) {
            for (RawMessage m : StreamScript.builder().seed(5).updates(20).build().messages()) {
                w.write(m);
            }
        }
        Files.writeString(
                file,
                "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\",\"kind\":\"ws\",\"received_at\":\"2026-11-20T11:45:0\n",
                java.nio.file.StandardOpenOption.APPEND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        new String[] {"verify", file.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(
                        new ObjectMapper()
                                .readTree(out.toString(StandardCharsets.UTF_8))
                                .get("unreadable_lines")
                                .asLong())
                .isEqualTo(1);
    }

    @Test
    void shouldRejectAMissingFileAsAUsageError() {
        int code =
                Main.execute(
                        new String[] {"verify", dir.resolve("nope.jsonl").toString()},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
    }
}
