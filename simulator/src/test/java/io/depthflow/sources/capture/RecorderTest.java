package io.depthflow.sources.capture;

import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.rest.RestBookSource;
import io.depthflow.sources.rest.RestPollConfig;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecorderTest {

    @Test
    void shouldRecordEveryPollOfTheSimulatorIntoACaptureFile(@TempDir Path dir) throws Exception {
        AcceleratedClock clock =
                new AcceleratedClock(Instant.parse("2026-11-20T11:45:00Z").toEpochMilli(), 60);
        try (ExchangeSimulator simulator = ExchangeSimulator.builder().clock(clock).start()) {
            simulator.injectFault(CoinbaseVenue.NAME, Fault.MALFORMED_JSON, 1);
            RestPollConfig config =
                    RestBookSource.builder()
                            .setBaseUrl(CoinbaseVenue.NAME, simulator.baseUrl(CoinbaseVenue.NAME))
                            .setBaseUrl(KrakenVenue.NAME, simulator.baseUrl(KrakenVenue.NAME))
                            .setMarkets("BTC/USD")
                            .setClock(clock)
                            .setInterval(Duration.ofSeconds(15))
                            .setRateLimit(KrakenVenue.NAME, 100, 10)
                            .setDuration(Duration.ofSeconds(45))
                            .buildPollConfig();
            Path file = dir.resolve("capture.jsonl");

            long lines = new Recorder(config).record(file);

            List<RawMessage> recorded = CaptureReader.readAll(file);
            assertThat(lines).isEqualTo(6).isEqualTo(recorded.size());
            assertThat(recorded).filteredOn(r -> r.exchange.equals(CoinbaseVenue.NAME)).hasSize(3);
            // The truncated body was recorded as text and comes back exactly as served.
            RawMessage malformed =
                    recorded.stream()
                            .filter(r -> r.exchange.equals(CoinbaseVenue.NAME))
                            .findFirst()
                            .orElseThrow();
            assertThat(malformed.payload).startsWith("{\"bids\":[[").doesNotEndWith("}");
            assertThat(recorded)
                    .filteredOn(raw -> raw != malformed)
                    .allSatisfy(
                            raw -> assertThat(BookParsers.parse(raw).market).isEqualTo("BTC/USD"));
            assertThat(
                            simulator.requestCount(CoinbaseVenue.NAME)
                                    + simulator.requestCount(KrakenVenue.NAME))
                    .isEqualTo(6);
        }
    }

    @Test
    void shouldRefuseAnUnboundedRecording() {
        RestPollConfig unbounded = RestBookSource.builder().buildPollConfig();

        assertThatThrownBy(() -> new Recorder(unbounded))
                .hasMessage("a recording needs a bound: set maxPolls or duration");
    }
}
