package io.depthflow.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.job.stream.BookSyncVerifier;
import io.depthflow.sources.capture.StreamRecorder;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.ws.FeedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code verify} on a real recording of Bitstamp's feed (the simulator over real sockets, the
 * stream recorder): whole-book messages verify clean, even with a message dropped on the way.
 */
class BitstampVerifyTest {

    @TempDir Path dir;

    @Test
    void shouldVerifyARecordedBitstampCaptureWithADroppedMessageAsClean() throws Exception {
        Path file = dir.resolve("bitstamp.jsonl");
        try (StreamSimulator sim =
                StreamSimulator.builder().seed(8).messagesPerSecond(40).start()) {
            FeedSettings feed =
                    FeedSettings.of("bitstamp", sim.url("bitstamp"), List.of("BTC/USD", "ETH/USD"));
            CompletableFuture<Long> recording =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return new StreamRecorder(
                                                    List.of(feed),
                                                    SourceClock.system(),
                                                    BookSyncVerifier.factory())
                                            .record(file, Duration.ofSeconds(3));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sim.messagesSent("bitstamp") < 20 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            sim.injectFault("bitstamp", StreamFault.DROP_MESSAGE);
            assertThat(recording.get()).isPositive();
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        new String[] {"verify", file.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(code).as(j.toString() + err).isZero();
        assertThat(j.get("ok").asBoolean()).isTrue();
        assertThat(j.get("messages").asLong()).isGreaterThan(20);
        assertThat(j.get("resyncs").asLong()).isZero();
        assertThat(j.get("books")).hasSize(2);
        for (JsonNode book : j.get("books")) {
            assertThat(book.get("exchange").asText()).isEqualTo("bitstamp");
            assertThat(book.get("status").asText()).isEqualTo("ok");
            assertThat(book.get("best_bid").decimalValue())
                    .isLessThan(book.get("best_ask").decimalValue());
        }
    }
}
