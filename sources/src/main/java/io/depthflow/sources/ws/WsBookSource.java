package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A FLIP-27 source of the exchanges' WebSocket L2 book feeds (Kraken v2 {@code book}, Coinbase
 * Advanced Trade {@code level2} + {@code heartbeats}): every message verbatim as a {@link
 * RawMessage} of kind {@code ws}, stamped with its received time (the record timestamp), and the
 * client's connection events (kind {@code ws_event}). One split per exchange, one supervised
 * connection per split ({@link FeedConnection}: resubscribe, reconnect with backoff and jitter,
 * ping, stale detection). Parse downstream so bad payloads can go to a side output.
 *
 * <p>Nothing is rewound on restore (a WebSocket cannot be): the reader reconnects, resubscribes and
 * the books are rebuilt from fresh snapshots; the job flags the books as not known-good until then.
 * Unbounded unless a duration is set.
 *
 * <pre>{@code
 * WsBookSource source = WsBookSource.builder()
 *         .addFeed(FeedSettings.of("kraken", FeedSettings.defaultUrl("kraken"), List.of("BTC/USD")).withDepth(100))
 *         .addFeed(FeedSettings.of("coinbase", FeedSettings.defaultUrl("coinbase"), List.of("BTC/USD")))
 *         .setVerifiers(BookSyncVerifier.factory())
 *         .build();
 * env.fromSource(source, WsBookSource.watermarks(), "WebSocket books").uid("src-ws-books");
 * }</pre>
 *
 * <p>Event time and watermarks come from the source itself ({@link WsBookRecordEmitter}): each
 * message's received time, taken as its connection hands it over; each feed's watermark follows
 * what has been handed to Flink, never the clock alone, so a message still queued inside the source
 * (back-pressure) is never behind the watermark. Idle feeds advance by in-band progress promises
 * about once a second.
 */
@PublicEvolving
public final class WsBookSource implements Source<RawMessage, WsBookSplit, WsBookEnumState> {

    private static final long serialVersionUID = 1L;

    private final List<FeedSettings> feeds;
    private final SourceClock clock;
    private final Duration duration;
    private final BookVerifier.Factory verifiers;
    private final int queueCapacity;

    WsBookSource(
            List<FeedSettings> feeds,
            SourceClock clock,
            Duration duration,
            BookVerifier.Factory verifiers,
            int queueCapacity) {
        this.feeds = List.copyOf(feeds);
        this.clock = clock;
        this.duration = duration;
        this.verifiers = verifiers;
        this.queueCapacity = queueCapacity;
    }

    public static WsBookSourceBuilder builder() {
        return new WsBookSourceBuilder();
    }

    /**
     * The watermark strategy to use with this source: the records' own timestamps and no generated
     * watermarks, because the source emits them (see the class comment). A strategy that adds its
     * own (bounded out-of-orderness, a clock) could pass messages still queued.
     */
    public static WatermarkStrategy<RawMessage> watermarks() {
        return WatermarkStrategy.noWatermarks();
    }

    public List<FeedSettings> feeds() {
        return feeds;
    }

    @Override
    public Boundedness getBoundedness() {
        return duration == null ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<RawMessage, WsBookSplit> createReader(SourceReaderContext context) {
        return new WsBookSourceReader(feeds, duration, clock, verifiers, queueCapacity, context);
    }

    @Override
    public SplitEnumerator<WsBookSplit, WsBookEnumState> createEnumerator(
            SplitEnumeratorContext<WsBookSplit> context) {
        return new WsBookEnumerator(context, order(), newSplits(Set.of()), Set.of());
    }

    /**
     * A restored job's enumerator: the checkpoint's unassigned feeds, plus a new split for every
     * configured feed the checkpoint does not know (an exchange the upgrade adds). A version-1
     * checkpoint does not list its assigned feeds; then only its unassigned ones are known.
     */
    @Override
    public SplitEnumerator<WsBookSplit, WsBookEnumState> restoreEnumerator(
            SplitEnumeratorContext<WsBookSplit> context, WsBookEnumState checkpoint) {
        List<WsBookSplit> unassigned = new ArrayList<>(checkpoint.unassigned());
        Set<String> assigned = checkpoint.assigned() == null ? Set.of() : checkpoint.assigned();
        if (checkpoint.assigned() != null) {
            Set<String> known = new HashSet<>(assigned);
            unassigned.forEach(s -> known.add(s.splitId()));
            unassigned.addAll(newSplits(known));
        }
        return new WsBookEnumerator(context, order(), unassigned, assigned);
    }

    /** One split per configured feed not in {@code except}. */
    private List<WsBookSplit> newSplits(Set<String> except) {
        long stopAt =
                duration == null ? Long.MAX_VALUE : clock.currentTimeMillis() + duration.toMillis();
        List<WsBookSplit> splits = new ArrayList<>();
        for (FeedSettings f : feeds) {
            if (!except.contains(f.exchange())) {
                splits.add(new WsBookSplit(f, stopAt));
            }
        }
        return splits;
    }

    private List<String> order() {
        return feeds.stream().map(FeedSettings::exchange).toList();
    }

    @Override
    public SimpleVersionedSerializer<WsBookSplit> getSplitSerializer() {
        return new WsBookSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<WsBookEnumState> getEnumeratorCheckpointSerializer() {
        return new WsBookEnumStateSerializer();
    }
}
