package io.depthflow.sources.venue;

import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry and the contract every registered venue must keep. */
class VenuesTest {

    @Test
    void shouldListTheRegisteredVenuesInRegistrationOrderUnderTheirDataNames() {
        assertThat(Venues.names()).startsWith("coinbase", "kraken");
        assertThat(Exchanges.ALL).isEqualTo(Venues.names());
        assertThat(Exchanges.DEFAULTS).containsExactly("coinbase", "kraken");
        for (String name : Venues.names()) {
            assertThat(Venues.get(name).name()).isEqualTo(name).matches("[a-z]+");
            assertThat(Venues.contains(name)).isTrue();
        }
    }

    @Test
    void shouldRejectAnUnknownVenueNamingTheRegisteredOnes() {
        assertThat(Venues.contains("binance")).isFalse();
        assertThat(Venues.contains(null)).isFalse();
        assertThatThrownBy(() -> Venues.get("binance"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown exchange 'binance': expected one of " + Venues.names());
        assertThatThrownBy(() -> Exchanges.validate("")).hasMessageContaining("expected one of");
    }

    @Test
    void everyVenueShouldKeepTheContract() {
        for (Venue v : Venues.ALL) {
            RestProtocol rest = v.rest();
            assertThat(rest.defaultBaseUrl())
                    .as(v.name())
                    .startsWith("https://")
                    .doesNotEndWith("/");
            assertThat(rest.defaultRateLimit().permitsPerSecond()).as(v.name()).isPositive();
            URI uri = rest.bookUri("http://127.0.0.1:9000/" + v.name(), Markets.BTC_USD, 100);
            assertThat(uri.toString())
                    .as(v.name())
                    .startsWith("http://127.0.0.1:9000/" + v.name() + "/");

            StreamProtocol ws = v.stream();
            assertThat(ws.defaultUrl()).as(v.name()).startsWith("wss://");
            assertThat(ws.subscribe(List.of(Markets.BTC_USD, Markets.ETH_USD), ws.defaultDepth()))
                    .as(v.name())
                    .isNotEmpty();
            if (!ws.depths().isEmpty()) {
                assertThat(ws.depths()).as(v.name()).contains(ws.defaultDepth()).isSorted();
            }
            assertThat(ws.newDecoder()).as(v.name()).isNotNull();
            assertThat(ws.newSequence() != null)
                    .as(v.name() + " sequence")
                    .isEqualTo(ws.integrity().hasSequence());
            assertThat(ws.newChecksum() != null)
                    .as(v.name() + " checksum")
                    .isEqualTo(ws.integrity().hasChecksum());
            assertThat(ws.bookDepth())
                    .as(v.name())
                    .isGreaterThanOrEqualTo(StreamProtocol.DEPTH_UNLIMITED);
            if (ws.bookDepth() == StreamProtocol.DEPTH_FROM_ACK) {
                assertThat(ws.depths())
                        .as(v.name() + " depth from the ack needs depths")
                        .isNotEmpty();
            }
        }
    }
}
