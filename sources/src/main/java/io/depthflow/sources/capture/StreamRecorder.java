package io.depthflow.sources.capture;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.ws.BookVerifier;
import io.depthflow.sources.ws.FeedConnection;
import io.depthflow.sources.ws.FeedSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Records the exchanges' WebSocket book feeds (or the simulator's) into a capture file: every
 * message exactly as received ({@code "kind":"ws"}, payload verbatim, subscription acks and
 * heartbeats included) and the client's connection events ({@code "kind":"ws_event"}), in arrival
 * order, through the same supervised client as the stream job ({@link FeedConnection}: resubscribes
 * after a failed Kraken checksum, reconnects after a Coinbase gap, a disconnect or a stale feed).
 * Replay it with {@code run --replay FILE} or check it with {@code verify FILE}.
 *
 * <pre>{@code
 * long lines = new StreamRecorder(feeds, SourceClock.system(), verifiers).record(Path.of("ws.jsonl"), Duration.ofMinutes(5));
 * }</pre>
 */
@PublicEvolving
public final class StreamRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRecorder.class);

    private final List<FeedSettings> feeds;
    private final SourceClock clock;
    private final BookVerifier.Factory verifiers;

    /**
     * @param verifiers the book checks that decide resubscriptions; null to skip them
     */
    public StreamRecorder(
            List<FeedSettings> feeds, SourceClock clock, BookVerifier.Factory verifiers) {
        Preconditions.checkArgument(!feeds.isEmpty(), "at least one feed");
        this.feeds = List.copyOf(feeds);
        this.clock = Preconditions.checkNotNull(clock, "clock");
        this.verifiers = verifiers;
    }

    /** Appends to {@code file} for {@code duration}; returns the number of lines written. */
    public long record(Path file, Duration duration) throws IOException, InterruptedException {
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "stream-recorder");
                            t.setDaemon(true);
                            return t;
                        });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<FeedConnection> connections = new ArrayList<>();
        try (CaptureWriter writer = CaptureWriter.append(file)) {
            for (FeedSettings feed : feeds) {
                connections.add(
                        new FeedConnection(
                                feed,
                                clock,
                                http,
                                timer,
                                verifiers == null ? null : verifiers.create(feed.exchange()),
                                m -> {
                                    try {
                                        writer.write(m);
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                }));
            }
            connections.forEach(FeedConnection::start);
            Thread.sleep(duration.toMillis());
            connections.forEach(FeedConnection::close);
            long lines = writer.linesWritten();
            LOG.info("Recorded {} WebSocket lines into {}", lines, file);
            return lines;
        } finally {
            connections.forEach(FeedConnection::close);
            timer.shutdownNow();
        }
    }
}
