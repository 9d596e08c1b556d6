package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.venue.StreamProtocol;
import io.depthflow.sources.venue.Venues;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How to connect to one venue's WebSocket book feed: URL, markets, subscription depth, and the
 * supervision timings. Immutable and serializable (part of the stream source's split).
 *
 * @param exchange a registered venue ({@link Venues})
 * @param url the venue's {@link StreamProtocol#defaultUrl()} (or the simulator's)
 * @param markets canonical markets, all on this one connection
 * @param depth subscription depth, one of the venue's {@link StreamProtocol#depths()} (ignored, and
 *     any value accepted, when that list is empty)
 * @param staleAfterMs no message of any kind for this long: the feed is stale; reconnect
 * @param pingIntervalMs application-level ping period, for venues that need one ({@link
 *     StreamProtocol#ping})
 * @param initialBackoffMs first reconnect delay; doubles per failed attempt, with jitter
 * @param maxBackoffMs reconnect delay cap
 */
@PublicEvolving
public record FeedSettings(
        String exchange,
        String url,
        List<String> markets,
        int depth,
        long staleAfterMs,
        long pingIntervalMs,
        long initialBackoffMs,
        long maxBackoffMs)
        implements Serializable {

    public FeedSettings {
        StreamProtocol protocol = Venues.get(exchange).stream();
        Preconditions.checkArgument(
                url != null && (url.startsWith("ws://") || url.startsWith("wss://")),
                "url must be a ws:// or wss:// URL, got %s",
                url);
        Preconditions.checkArgument(markets != null && !markets.isEmpty(), "at least one market");
        markets.forEach(Markets::validate);
        markets = List.copyOf(markets);
        Preconditions.checkArgument(
                protocol.depths().isEmpty() || protocol.depths().contains(depth),
                "%s depth must be one of %s, got %s",
                exchange,
                protocol.depths(),
                depth);
        Preconditions.checkArgument(staleAfterMs > 0, "staleAfterMs must be positive");
        Preconditions.checkArgument(pingIntervalMs > 0, "pingIntervalMs must be positive");
        Preconditions.checkArgument(
                initialBackoffMs > 0 && maxBackoffMs >= initialBackoffMs,
                "backoff must be 0 < initial <= max");
    }

    /** The venue's documented endpoint. */
    public static String defaultUrl(String exchange) {
        return Venues.get(exchange).stream().defaultUrl();
    }

    /**
     * Defaults: the venue's default depth, stale after 10 s, ping every 20 s, backoff 1 s to 60 s
     * (Kraken's guide).
     */
    public static FeedSettings of(String exchange, String url, List<String> markets) {
        return new FeedSettings(
                exchange,
                url,
                markets,
                Venues.get(exchange).stream().defaultDepth(),
                10_000,
                20_000,
                1_000,
                60_000);
    }

    /** The venue's protocol. */
    public StreamProtocol protocol() {
        return Venues.get(exchange).stream();
    }

    public FeedSettings withDepth(int depth) {
        return new FeedSettings(
                exchange,
                url,
                markets,
                depth,
                staleAfterMs,
                pingIntervalMs,
                initialBackoffMs,
                maxBackoffMs);
    }

    public FeedSettings withStaleAfter(Duration d) {
        return new FeedSettings(
                exchange,
                url,
                markets,
                depth,
                d.toMillis(),
                pingIntervalMs,
                initialBackoffMs,
                maxBackoffMs);
    }

    public FeedSettings withBackoff(Duration initial, Duration max) {
        return new FeedSettings(
                exchange,
                url,
                markets,
                depth,
                staleAfterMs,
                pingIntervalMs,
                initial.toMillis(),
                max.toMillis());
    }

    public FeedSettings withPingInterval(Duration d) {
        return new FeedSettings(
                exchange,
                url,
                markets,
                depth,
                staleAfterMs,
                d.toMillis(),
                initialBackoffMs,
                maxBackoffMs);
    }
}
