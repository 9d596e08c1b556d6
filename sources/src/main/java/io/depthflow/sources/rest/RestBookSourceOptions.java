package io.depthflow.sources.rest;

import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/**
 * Configuration keys of {@link RestBookSource}, read by {@link
 * RestBookSourceBuilder#setConfiguration}. Durations of the poll schedule ({@code interval}, {@code
 * duration}, backoffs) are in the source's clock time; timeouts and rate limits are in real time,
 * because they are about the network and the exchange.
 */
@PublicEvolving
public final class RestBookSourceOptions {

    public static final ConfigOption<List<String>> EXCHANGES =
            ConfigOptions.key("source.rest.exchanges")
                    .stringType()
                    .asList()
                    .defaultValues(Exchanges.DEFAULTS.toArray(new String[0]))
                    .withDescription("Exchanges to poll: any registered venue (io.depthflow.sources.venue.Venues).");

    public static final ConfigOption<List<String>> MARKETS =
            ConfigOptions.key("source.rest.markets")
                    .stringType()
                    .asList()
                    .defaultValues(Markets.BTC_USD, Markets.ETH_USD)
                    .withDescription("Canonical markets to poll on every exchange, e.g. BTC/USD;ETH/USD.");

    public static final ConfigOption<Duration> INTERVAL =
            ConfigOptions.key("source.rest.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Poll interval per exchange and market, in clock time. Polls are aligned to"
                                    + " the interval grid of the clock (every minute at :00 for 60 s).");

    public static final ConfigOption<String> COINBASE_BASE_URL =
            ConfigOptions.key("source.rest.coinbase.base-url")
                    .stringType()
                    .defaultValue("https://api.exchange.coinbase.com")
                    .withDescription("Base URL of the Coinbase Exchange REST API.");

    public static final ConfigOption<String> KRAKEN_BASE_URL =
            ConfigOptions.key("source.rest.kraken.base-url")
                    .stringType()
                    .defaultValue("https://api.kraken.com")
                    .withDescription("Base URL of the Kraken REST API (without /0).");

    public static final ConfigOption<Integer> KRAKEN_DEPTH_COUNT =
            ConfigOptions.key("source.rest.kraken.depth-count")
                    .intType()
                    .defaultValue(500)
                    .withDescription("The count parameter of Kraken's Depth call: levels per side, 1 to 500.");

    public static final ConfigOption<Duration> CONNECT_TIMEOUT =
            ConfigOptions.key("source.rest.connect-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("TCP/TLS connect timeout, real time.");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT =
            ConfigOptions.key("source.rest.request-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Timeout of one request until its response headers arrive, real time.");

    public static final ConfigOption<String> USER_AGENT =
            ConfigOptions.key("source.rest.user-agent")
                    .stringType()
                    .defaultValue("depthflow/0.1 (order-book research; java.net.http)")
                    .withDescription("User-Agent header of every request (Kraken asks clients to set one).");

    public static final ConfigOption<Double> COINBASE_RATE_LIMIT =
            ConfigOptions.key("source.rest.coinbase.rate-limit")
                    .doubleType()
                    .defaultValue(5.0)
                    .withDescription(
                            "Requests per second per source subtask to Coinbase. Coinbase allows 10/s with"
                                    + " bursts of 15 per IP on public endpoints; half leaves room for"
                                    + " a second subtask or other clients on the same IP.");

    public static final ConfigOption<Integer> COINBASE_RATE_BURST =
            ConfigOptions.key("source.rest.coinbase.rate-burst")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Token bucket size for Coinbase requests.");

    public static final ConfigOption<Double> KRAKEN_RATE_LIMIT =
            ConfigOptions.key("source.rest.kraken.rate-limit")
                    .doubleType()
                    .defaultValue(0.5)
                    .withDescription(
                            "Requests per second per source subtask to Kraken. Kraken says one public call"
                                    + " per second per IP stays within its limits; 0.5 keeps two"
                                    + " subtasks on one IP within it.");

    public static final ConfigOption<Integer> KRAKEN_RATE_BURST =
            ConfigOptions.key("source.rest.kraken.rate-burst")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Token bucket size for Kraken requests.");

    public static final ConfigOption<Duration> RETRY_INITIAL_BACKOFF =
            ConfigOptions.key("source.rest.retry.initial-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Cap of the first retry delay after a 429, 5xx or transport failure, clock time;"
                                    + " doubles per attempt, with full jitter.");

    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF =
            ConfigOptions.key("source.rest.retry.max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(20))
                    .withDescription("Largest retry delay cap, clock time. Retries never pass the next scheduled poll.");

    public static final ConfigOption<Integer> MAX_POLLS =
            ConfigOptions.key("source.rest.max-polls")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Bounded mode: scheduled polls per exchange and market after which the source finishes.");

    public static final ConfigOption<Duration> DURATION =
            ConfigOptions.key("source.rest.duration")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Bounded mode: clock time after the source starts from which no poll is scheduled;"
                                    + " the source finishes when the last one completes.");

    private RestBookSourceOptions() {}
}
