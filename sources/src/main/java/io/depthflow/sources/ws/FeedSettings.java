package io.depthflow.sources.ws;

import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to connect to one exchange's WebSocket book feed: URL, markets, Kraken's depth, and the
 * supervision timings. Immutable and serializable (part of the stream source's split).
 *
 * @param exchange {@code coinbase} or {@code kraken}
 * @param url {@code wss://advanced-trade-ws.coinbase.com} or {@code wss://ws.kraken.com/v2} (or the
 *     simulator)
 * @param markets canonical markets, all on this one connection
 * @param krakenDepth Kraken book depth: 10, 25, 100, 500 or 1000
 * @param staleAfterMs no message of any kind for this long: the feed is stale; reconnect
 * @param pingIntervalMs Kraken application-level ping period (Coinbase uses its heartbeats channel)
 * @param initialBackoffMs first reconnect delay; doubles per failed attempt, with jitter
 * @param maxBackoffMs reconnect delay cap
 */
@PublicEvolving
public record FeedSettings(
        String exchange,
        String url,
        List<String> markets,
        int krakenDepth,
        long staleAfterMs,
        long pingIntervalMs,
        long initialBackoffMs,
        long maxBackoffMs)
        implements Serializable {

    public static final String KRAKEN_URL = "wss://ws.kraken.com/v2";
    public static final String COINBASE_URL = "wss://advanced-trade-ws.coinbase.com";
    public static final List<Integer> KRAKEN_DEPTHS = List.of(10, 25, 100, 500, 1000);

    public FeedSettings {
        Exchanges.validate(exchange);
        Preconditions.checkArgument(url != null && (url.startsWith("ws://") || url.startsWith("wss://")),
                "url must be a ws:// or wss:// URL, got %s", url);
        Preconditions.checkArgument(markets != null && !markets.isEmpty(), "at least one market");
        markets.forEach(Markets::validate);
        markets = List.copyOf(markets);
        Preconditions.checkArgument(KRAKEN_DEPTHS.contains(krakenDepth), "Kraken depth must be one of %s, got %s", KRAKEN_DEPTHS, krakenDepth);
        Preconditions.checkArgument(staleAfterMs > 0, "staleAfterMs must be positive");
        Preconditions.checkArgument(pingIntervalMs > 0, "pingIntervalMs must be positive");
        Preconditions.checkArgument(initialBackoffMs > 0 && maxBackoffMs >= initialBackoffMs, "backoff must be 0 < initial <= max");
    }

    /** The exchange's documented endpoint. */
    public static String defaultUrl(String exchange) {
        return Exchanges.KRAKEN.equals(Exchanges.validate(exchange)) ? KRAKEN_URL : COINBASE_URL;
    }

    /** Defaults: depth 10, stale after 10 s, ping every 20 s, backoff 1 s to 60 s (Kraken's guide). */
    public static FeedSettings of(String exchange, String url, List<String> markets) {
        return new FeedSettings(exchange, url, markets, 10, 10_000, 20_000, 1_000, 60_000);
    }

    public FeedSettings withKrakenDepth(int depth) {
        return new FeedSettings(exchange, url, markets, depth, staleAfterMs, pingIntervalMs, initialBackoffMs, maxBackoffMs);
    }

    public FeedSettings withStaleAfter(Duration d) {
        return new FeedSettings(exchange, url, markets, krakenDepth, d.toMillis(), pingIntervalMs, initialBackoffMs, maxBackoffMs);
    }

    public FeedSettings withBackoff(Duration initial, Duration max) {
        return new FeedSettings(exchange, url, markets, krakenDepth, staleAfterMs, pingIntervalMs, initial.toMillis(), max.toMillis());
    }

    public FeedSettings withPingInterval(Duration d) {
        return new FeedSettings(exchange, url, markets, krakenDepth, staleAfterMs, d.toMillis(), initialBackoffMs, maxBackoffMs);
    }

    public boolean isKraken() {
        return Objects.equals(exchange, Exchanges.KRAKEN);
    }
}
