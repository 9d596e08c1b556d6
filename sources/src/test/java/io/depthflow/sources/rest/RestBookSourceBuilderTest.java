package io.depthflow.sources.rest;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.InstantiationUtil;

import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.clock.SystemClock;
import io.depthflow.sources.venue.Venues;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestBookSourceBuilderTest {

    @Test
    void shouldDefaultToLiveExchangesEveryMinuteUnbounded() {
        RestBookSource source = RestBookSource.builder().build();
        RestPollConfig config = source.config();

        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(config.exchanges()).containsExactly("coinbase", "kraken");
        assertThat(config.markets()).containsExactly("BTC/USD", "ETH/USD");
        assertThat(config.intervalMs()).isEqualTo(60_000);
        assertThat(config.baseUrl("coinbase")).isEqualTo("https://api.exchange.coinbase.com");
        assertThat(config.baseUrl("kraken")).isEqualTo("https://api.kraken.com");
        assertThat(config.depthCount("kraken")).isEqualTo(500);
        assertThat(config.rateLimit("coinbase")).isEqualTo(new RateLimit(5, 5));
        assertThat(config.rateLimit("kraken")).isEqualTo(new RateLimit(0.5, 1));
        assertThat(config.connectTimeoutMs()).isEqualTo(5_000);
        assertThat(config.requestTimeoutMs()).isEqualTo(10_000);
        assertThat(config.userAgent()).startsWith("depthflow/");
        assertThat(config.clock()).isSameAs(SystemClock.INSTANCE);
        assertThat(config.maxPolls()).isEqualTo(RestPollConfig.UNBOUNDED);
        assertThat(config.durationMs()).isEqualTo(RestPollConfig.UNBOUNDED);
    }

    @Test
    void shouldApplyTheKeysSetInAFlinkConfiguration() {
        Configuration conf = new Configuration();
        conf.setString("source.rest.markets", "ETH/USD");
        conf.setString("source.rest.exchanges", "kraken");
        conf.setString("source.rest.interval", "15 s");
        conf.setString("source.rest.kraken.base-url", "http://127.0.0.1:9999/kraken/");
        conf.setString("source.rest.kraken.rate-limit", "2.5");
        conf.setString("source.rest.retry.max-backoff", "5 s");
        conf.setString("source.rest.max-polls", "4");

        RestBookSource source = RestBookSource.builder().setConfiguration(conf).build();
        RestPollConfig config = source.config();

        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(config.markets()).containsExactly("ETH/USD");
        assertThat(config.exchanges()).containsExactly("kraken");
        assertThat(config.intervalMs()).isEqualTo(15_000);
        assertThat(config.baseUrl("kraken")).isEqualTo("http://127.0.0.1:9999/kraken");
        assertThat(config.rateLimit("kraken")).isEqualTo(new RateLimit(2.5, 1));
        assertThat(config.initialBackoffMs()).isEqualTo(1_000);
        assertThat(config.maxBackoffMs()).isEqualTo(5_000);
        assertThat(config.maxPolls()).isEqualTo(4);
        assertThat(config.initialSplits(1_795_175_103_203L))
                .containsExactly(
                        new RestBookSplit(
                                "kraken", "ETH/USD", 1_795_175_115_000L, 0, Long.MAX_VALUE));
    }

    @Test
    void shouldReadThePerVenueKeysOfEveryRegisteredVenueUnderTheirFormerNames() {
        Configuration conf = new Configuration();
        conf.setString("source.rest.exchanges", "coinbase;kraken;bitstamp;gemini;bitfinex");
        conf.setString("source.rest.coinbase.base-url", "http://127.0.0.1:9999/coinbase");
        conf.setString("source.rest.coinbase.rate-burst", "7");
        conf.setString("source.rest.kraken.depth-count", "100");
        conf.setString("source.rest.bitstamp.base-url", "http://127.0.0.1:9999/bitstamp/");
        conf.setString("source.rest.gemini.rate-limit", "0.25");
        conf.setString("source.rest.bitfinex.rate-burst", "3");

        RestPollConfig config = RestBookSource.builder().setConfiguration(conf).build().config();

        assertThat(config.baseUrl("coinbase")).isEqualTo("http://127.0.0.1:9999/coinbase");
        assertThat(config.rateLimit("coinbase")).isEqualTo(new RateLimit(5, 7));
        assertThat(config.depthCount("kraken")).isEqualTo(100);
        assertThat(config.baseUrl("bitstamp")).isEqualTo("http://127.0.0.1:9999/bitstamp");
        assertThat(config.rateLimit("gemini").permitsPerSecond()).isEqualTo(0.25);
        assertThat(config.rateLimit("bitfinex").burst()).isEqualTo(3);
        assertThat(config.baseUrl("gemini"))
                .isEqualTo(Venues.get("gemini").rest().defaultBaseUrl());
        assertThat(RestBookSourceOptions.venueOptions())
                .extracting(o -> o.key())
                .contains(
                        "source.rest.coinbase.base-url",
                        "source.rest.coinbase.rate-limit",
                        "source.rest.coinbase.rate-burst",
                        "source.rest.kraken.base-url",
                        "source.rest.kraken.depth-count",
                        "source.rest.kraken.rate-limit",
                        "source.rest.kraken.rate-burst",
                        "source.rest.bitfinex.base-url")
                .hasSize(4 * Venues.ALL.size());
    }

    @Test
    void shouldRejectInvalidSettingsWithClearMessages() {
        RestBookSourceBuilder builder = RestBookSource.builder();

        assertThatThrownBy(() -> builder.setMarkets("BTC-USD"))
                .hasMessage(
                        "market 'BTC-USD' is not canonical: expected BASE/QUOTE in upper case, e.g. BTC/USD");
        assertThatThrownBy(() -> builder.setExchanges("binance"))
                .hasMessage(
                        "unknown exchange 'binance': expected one of [coinbase, kraken, bitstamp, gemini, bitfinex]");
        assertThatThrownBy(() -> builder.setInterval(Duration.ZERO))
                .hasMessage("interval must be at least 1 ms, got PT0S");
        assertThatThrownBy(() -> builder.setBaseUrl("kraken", "ftp://example.com"))
                .hasMessage(
                        "base URL of kraken must be http(s)://host[:port][/path], got ftp://example.com");
        assertThatThrownBy(() -> builder.setDepthCount("kraken", 501))
                .hasMessage("kraken depth count must be 1..500, got 501");
        assertThatThrownBy(() -> builder.setRateLimit("coinbase", 0, 1))
                .hasMessage("permitsPerSecond must be positive, got 0.0");
        assertThatThrownBy(
                        () -> builder.setRetryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessage("max backoff PT1S is below initial backoff PT5S");
        assertThatThrownBy(() -> builder.setMaxPolls(0))
                .hasMessage("maxPolls must be positive, got 0");
        assertThatThrownBy(() -> builder.setConnectTimeout(Duration.ofSeconds(30)).build())
                .hasMessage("connect timeout PT30S exceeds request timeout PT10S");
    }

    @Test
    void shouldSurviveJavaSerializationWithAnAcceleratedClock() throws Exception {
        RestBookSource source =
                RestBookSource.builder()
                        .setClock(new AcceleratedClock(1_795_175_100_000L, 60))
                        .setDuration(Duration.ofMinutes(10))
                        .build();

        RestBookSource copy = InstantiationUtil.clone(source);

        assertThat(copy.config().toString()).isEqualTo(source.config().toString());
        assertThat(copy.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(copy.config().clock().currentTimeMillis())
                .isCloseTo(
                        source.config().clock().currentTimeMillis(),
                        org.assertj.core.data.Offset.offset(2_000L));
        assertThat(
                        List.of(
                                copy.getSplitSerializer().getVersion(),
                                copy.getEnumeratorCheckpointSerializer().getVersion()))
                .containsExactly(1, 1);
    }
}
