package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import io.depthflow.sources.clock.SourceClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link WsBookSource}; see its Javadoc for an example. Each setter validates. */
@PublicEvolving
public final class WsBookSourceBuilder {

    private final List<FeedSettings> feeds = new ArrayList<>();
    private SourceClock clock = SourceClock.system();
    private Duration duration;
    private BookVerifier.Factory verifiers;
    private int queueCapacity = 10_000;

    WsBookSourceBuilder() {}

    /** One exchange's feed (one connection); at most one feed per exchange. */
    public WsBookSourceBuilder addFeed(FeedSettings feed) {
        Preconditions.checkNotNull(feed, "feed");
        Preconditions.checkArgument(
                feeds.stream().noneMatch(f -> f.exchange().equals(feed.exchange())),
                "a feed for %s is already configured",
                feed.exchange());
        feeds.add(feed);
        return this;
    }

    /** The clock of received times (event time) and of the duration. */
    public WsBookSourceBuilder setClock(SourceClock clock) {
        this.clock = Preconditions.checkNotNull(clock, "clock");
        return this;
    }

    /** Stop after this much clock time (bounded source); unbounded when not set. */
    public WsBookSourceBuilder setDuration(Duration duration) {
        Preconditions.checkArgument(
                duration != null && !duration.isNegative() && !duration.isZero(),
                "duration must be positive");
        this.duration = duration;
        return this;
    }

    /** The book checks that decide Kraken resubscriptions (the job's {@code BookSyncVerifier}). */
    public WsBookSourceBuilder setVerifiers(BookVerifier.Factory verifiers) {
        this.verifiers = Preconditions.checkNotNull(verifiers, "verifiers");
        return this;
    }

    /** Messages buffered between the sockets and the fetcher (default 10,000). */
    public WsBookSourceBuilder setQueueCapacity(int capacity) {
        Preconditions.checkArgument(
                capacity > 0, "queue capacity must be positive, got %s", capacity);
        this.queueCapacity = capacity;
        return this;
    }

    public WsBookSource build() {
        Preconditions.checkState(!feeds.isEmpty(), "at least one feed must be configured");
        return new WsBookSource(feeds, clock, duration, verifiers, queueCapacity);
    }
}
