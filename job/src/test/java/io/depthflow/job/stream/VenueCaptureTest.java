package io.depthflow.job.stream;

import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.capture.StreamRecorder;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.ws.FeedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code record --mode stream} of Gemini and Bitfinex against the simulator's feeds over real
 * sockets, then {@code verify} on the capture with the job's own book code: clean sessions verify,
 * Bitfinex's corrupted checksum and dropped message are caught (checksum mismatch, sequence gap)
 * and healed, and Gemini's dropped update, which its protocol cannot show, goes unseen.
 */
class VenueCaptureTest {

    private static final List<String> MARKETS = List.of("BTC/USD", "ETH/USD");

    @TempDir Path dir;

    private static List<FeedSettings> feeds(StreamSimulator sim) {
        return List.of(
                FeedSettings.of("bitfinex", sim.url("bitfinex"), MARKETS)
                        .withDepth(25)
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)),
                FeedSettings.of("gemini", sim.url("gemini"), MARKETS)
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)));
    }

    private static StreamVerifier verify(Path file) throws Exception {
        StreamVerifier v = new StreamVerifier();
        for (RawMessage m : CaptureReader.readAll(file)) {
            v.accept(m);
        }
        return v;
    }

    @Test
    void shouldCaptureCleanSessionsOfBothVenuesThatVerifyWithEveryBitfinexChecksum()
            throws Exception {
        Path file = dir.resolve("clean.jsonl");
        try (StreamSimulator sim =
                StreamSimulator.builder().seed(31).messagesPerSecond(60).start()) {
            new StreamRecorder(feeds(sim), SourceClock.system(), BookSyncVerifier.factory())
                    .record(file, Duration.ofMillis(2_500));
        }
        StreamVerifier v = verify(file);
        assertThat(v.failed()).as(v.toJson()).isFalse();
        assertThat(v.checksumOk()).isGreaterThan(50);
        assertThat(v.book("bitfinex", "BTC/USD").book().bidCount()).isEqualTo(25);
        assertThat(v.book("bitfinex", "ETH/USD").isSynced()).isTrue();
        assertThat(v.book("gemini", "BTC/USD").isSynced()).isTrue();
        assertThat(v.book("gemini", "ETH/USD").book().bidCount()).isGreaterThan(100);
    }

    @Test
    void shouldCatchBitfinexsCorruptedChecksumAndDroppedMessage() throws Exception {
        Path file = dir.resolve("faults.jsonl");
        try (StreamSimulator sim =
                StreamSimulator.builder().seed(32).messagesPerSecond(60).start()) {
            CompletableFuture<Long> recording =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return new StreamRecorder(
                                                    feeds(sim),
                                                    SourceClock.system(),
                                                    BookSyncVerifier.factory())
                                            .record(file, Duration.ofMillis(4_000));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            awaitInFile(file, "\"cs\"");
            sim.injectFault("bitfinex", StreamFault.CORRUPT_CHECKSUM);
            sim.injectFault("gemini", StreamFault.DROP_MESSAGE);
            awaitInFile(file, "\"event\":\"unsubscribed\"");
            sim.injectFault("bitfinex", StreamFault.DROP_MESSAGE);
            assertThat(recording.get()).isPositive();
        }
        StreamVerifier v = verify(file);
        assertThat(v.failed()).isTrue();
        assertThat(v.checksumFailed()).as(v.toJson()).isEqualTo(1);
        assertThat(v.sequenceGaps()).as(v.toJson()).isEqualTo(1);
        assertThat(v.errorsByType())
                .containsEntry(IngestError.CHECKSUM_MISMATCH, 1L)
                .containsEntry(IngestError.SEQUENCE_GAP, 1L);
        // Resubscribed after the checksum, reconnected after the gap: every book is good again.
        for (String exchange : new String[] {"bitfinex", "gemini"}) {
            for (String market : MARKETS) {
                assertThat(v.book(exchange, market).isSynced())
                        .as(exchange + " " + market + ": " + v.toJson())
                        .isTrue();
            }
        }
    }

    /** Polls the capture file (with a deadline) until it holds {@code text}. */
    private static void awaitInFile(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(Files.exists(file) && Files.readString(file).contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the capture never held " + text);
            }
            Thread.onSpinWait();
            Thread.sleep(10);
        }
    }
}
