package io.depthflow.sources.ws;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsRemoval;
import org.apache.flink.metrics.MetricGroup;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link FeedConnection} per assigned feed; their listener threads put messages into one
 * bounded queue (when it is full they stop reading the socket: back-pressure reaches the exchange's
 * TCP window), and {@link #fetch()} drains it in batches in the fetcher thread. The feeds' progress
 * promises travel in the same queue, in order with the messages, and become watermarks when the
 * reader hands them over ({@link WsBookRecordEmitter}). A bounded feed is reported finished once
 * the source clock reaches its stop time.
 *
 * <p>Metrics on the reader's group, summed over its feeds: {@code wsConnects}, {@code
 * wsDisconnects}, {@code wsStaleFeeds}, {@code wsSequenceGaps}, {@code wsResubscriptions}, {@code
 * wsMessagesReceived}.
 */
@Internal
public final class WsBookSplitReader implements SplitReader<RawMessage, WsBookSplit> {

    /** Largest batch handed to the reader per fetch. */
    private static final int MAX_BATCH = 10_000;

    private static final RawMessage WAKE_UP = new RawMessage();

    private final SourceClock clock;
    private final BookVerifier.Factory verifiers;
    private final BlockingQueue<RawMessage> queue;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Map<String, FeedConnection> feeds = new HashMap<>();
    private final Map<String, Long> stopAt = new HashMap<>();
    private final List<RawMessage> batch = new ArrayList<>();

    public WsBookSplitReader(
            SourceClock clock,
            BookVerifier.Factory verifiers,
            int queueCapacity,
            MetricGroup metrics) {
        this.clock = clock;
        this.verifiers = verifiers;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "ws-book-supervisor");
                            t.setDaemon(true);
                            return t;
                        });
        metrics.gauge("wsConnects", () -> sum(FeedConnection::connects));
        metrics.gauge("wsDisconnects", () -> sum(FeedConnection::disconnects));
        metrics.gauge("wsStaleFeeds", () -> sum(FeedConnection::staleFeeds));
        metrics.gauge("wsSequenceGaps", () -> sum(FeedConnection::sequenceGaps));
        metrics.gauge("wsResubscriptions", () -> sum(FeedConnection::resubscriptions));
        metrics.gauge("wsMessagesReceived", () -> sum(FeedConnection::messagesReceived));
    }

    private synchronized long sum(java.util.function.ToLongFunction<FeedConnection> f) {
        return feeds.values().stream().mapToLong(f).sum();
    }

    @Override
    public RecordsWithSplitIds<RawMessage> fetch() throws IOException {
        RecordsBySplits.Builder<RawMessage> records = new RecordsBySplits.Builder<>();
        try {
            RawMessage first = queue.poll(200, TimeUnit.MILLISECONDS);
            if (first != null && first != WAKE_UP) {
                records.add(first.exchange, first);
                batch.clear();
                queue.drainTo(batch, MAX_BATCH);
                for (RawMessage m : batch) {
                    if (m != WAKE_UP) {
                        records.add(m.exchange, m);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for WebSocket messages");
        }
        long now = clock.currentTimeMillis();
        synchronized (this) {
            for (Map.Entry<String, Long> e : new ArrayList<>(stopAt.entrySet())) {
                if (now >= e.getValue()) {
                    feeds.remove(e.getKey()).close();
                    stopAt.remove(e.getKey());
                    records.addFinishedSplit(e.getKey());
                }
            }
        }
        return records.build();
    }

    @Override
    public synchronized void handleSplitsChanges(SplitsChange<WsBookSplit> change) {
        if (change instanceof SplitsAddition) {
            for (WsBookSplit split : change.splits()) {
                FeedSettings s = split.settings();
                FeedConnection c =
                        new FeedConnection(
                                s,
                                clock,
                                http,
                                timer,
                                verifiers == null ? null : verifiers.create(s.exchange()),
                                new FeedConnection.Sink() {
                                    @Override
                                    public void accept(RawMessage message)
                                            throws InterruptedException {
                                        queue.put(message);
                                    }

                                    @Override
                                    public void progress(String exchange, long time) {
                                        // In the same queue as the messages, so it cannot overtake
                                        // one;
                                        // dropped when the queue is full (its messages carry their
                                        // times).
                                        queue.offer(WsBookRecordEmitter.progress(exchange, time));
                                    }
                                });
                feeds.put(split.splitId(), c);
                stopAt.put(split.splitId(), split.stopAt());
                c.start();
            }
        } else if (change instanceof SplitsRemoval) {
            for (WsBookSplit split : change.splits()) {
                FeedConnection c = feeds.remove(split.splitId());
                stopAt.remove(split.splitId());
                if (c != null) {
                    c.close();
                }
            }
        } else {
            throw new UnsupportedOperationException("unsupported split change " + change);
        }
    }

    @Override
    public void wakeUp() {
        queue.offer(WAKE_UP);
    }

    @Override
    public synchronized void close() {
        feeds.values().forEach(FeedConnection::close);
        feeds.clear();
        timer.shutdownNow();
    }
}
