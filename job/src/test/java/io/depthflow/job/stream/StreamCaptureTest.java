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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code record --mode stream} against the simulator's WebSocket feeds over real sockets, then
 * {@code verify} on what was captured: clean, and with a corrupted Kraken checksum and a dropped
 * Coinbase message injected while recording.
 */
class StreamCaptureTest {

    @TempDir Path dir;

    private static List<FeedSettings> feeds(StreamSimulator sim, int krakenDepth) {
        List<String> markets = List.of("BTC/USD", "ETH/USD");
        return List.of(
                FeedSettings.of("kraken", sim.url("kraken"), markets)
                        .withDepth(krakenDepth)
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)),
                FeedSettings.of("coinbase", sim.url("coinbase"), markets)
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
    void shouldCaptureACleanSessionOfBothFeedsThatVerifiesWithoutFailure() throws Exception {
        Path file = dir.resolve("clean.jsonl");
        try (StreamSimulator sim =
                StreamSimulator.builder().seed(21).messagesPerSecond(60).start()) {
            new StreamRecorder(feeds(sim, 25), SourceClock.system(), BookSyncVerifier.factory())
                    .record(file, Duration.ofMillis(2_500));
        }
        StreamVerifier v = verify(file);
        assertThat(v.failed()).as(v.toJson()).isFalse();
        assertThat(v.checksumOk()).isGreaterThan(100);
        assertThat(v.book("kraken", "ETH/USD").book().bidCount()).isEqualTo(25);
        assertThat(v.book("coinbase", "BTC/USD").isSynced()).isTrue();
        // subscription acks, heartbeats/status and connection events are captured too
        assertThat(CaptureReader.readAll(file))
                .extracting(m -> m.kind + ":" + m.market)
                .contains("ws_event:", "ws:", "ws:BTC/USD");
    }

    @Test
    void shouldCaptureInjectedFaultsAndTheClientsRecoveryForVerifyToReport() throws Exception {
        Path file = dir.resolve("faults.jsonl");
        try (StreamSimulator sim =
                StreamSimulator.builder().seed(22).messagesPerSecond(60).start()) {
            CompletableFuture<Long> recording =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return new StreamRecorder(
                                                    feeds(sim, 10),
                                                    SourceClock.system(),
                                                    BookSyncVerifier.factory())
                                            .record(file, Duration.ofMillis(3_500));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            Thread.sleep(1_200);
            sim.injectFault("kraken", StreamFault.CORRUPT_CHECKSUM);
            sim.injectFault("coinbase", StreamFault.DROP_MESSAGE);
            assertThat(recording.get()).isPositive();
        }
        StreamVerifier v = verify(file);
        assertThat(v.failed()).isTrue();
        assertThat(v.checksumFailed()).isEqualTo(1);
        assertThat(v.sequenceGaps()).isEqualTo(1);
        assertThat(v.errorsByType())
                .containsEntry(IngestError.CHECKSUM_MISMATCH, 1L)
                .containsEntry(IngestError.SEQUENCE_GAP, 1L);
        // the client resubscribed the Kraken market and reconnected Coinbase: every book is good
        // again
        assertThat(v.resyncs()).isGreaterThanOrEqualTo(3);
        for (String exchange : new String[] {"kraken", "coinbase"}) {
            for (String market : new String[] {"BTC/USD", "ETH/USD"}) {
                assertThat(v.book(exchange, market).isSynced())
                        .as(exchange + " " + market + ": " + v.toJson())
                        .isTrue();
            }
        }
    }
}
