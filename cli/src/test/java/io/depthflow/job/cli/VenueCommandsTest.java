package io.depthflow.job.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI takes any registered venue: Bitstamp, the first one added as a plug-in. */
class VenueCommandsTest {

    @TempDir Path dir;

    @Test
    void shouldQuoteASavedBitstampRestBook() throws Exception {
        Path book = dir.resolve("bitstamp.json");
        Files.writeString(
                book,
                Fixtures.docsExample("bitstamp/bitstamp-rest-order-book.json"),
                StandardCharsets.UTF_8);
        CliRun r =
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "bitstamp",
                        "--market",
                        "BTC/USD",
                        "--book",
                        book.toString(),
                        "--notional",
                        "10000",
                        "--notional",
                        "1000000");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j =
                new ObjectMapper()
                        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .readTree(r.out());
        assertThat(j.get("exchange").asText()).isEqualTo("bitstamp");
        assertThat(j.get("best_bid").decimalValue()).isEqualByComparingTo("89999");
        assertThat(j.get("best_ask").decimalValue()).isEqualByComparingTo("90001");
        assertThat(j.get("mid").decimalValue()).isEqualByComparingTo("90000");
        JsonNode buy10k = null;
        JsonNode buy1m = null;
        for (JsonNode q : j.get("quotes")) {
            if ("buy".equals(q.get("side").asText()) && q.get("notional").asLong() == 10_000) {
                buy10k = q;
            }
            if ("buy".equals(q.get("side").asText()) && q.get("notional").asLong() == 1_000_000) {
                buy1m = q;
            }
        }
        // $10k fits in the first ask level (0.25 BTC at 90001 = $22,500.25): all at 90001.
        assertThat(buy10k.get("complete").asBoolean()).isTrue();
        assertThat(buy10k.get("avg_price").decimalValue()).isEqualByComparingTo("90001");
        // The three asks hold $22,500.25 + $180,006 + $9,001 = $211,507.25 < $1M.
        assertThat(buy1m.get("complete").asBoolean()).isFalse();
    }

    @Test
    void shouldTakeEveryRegisteredVenueAndItsFlagsInRun() throws Exception {
        RunOptions o =
                RunOptions.parse(
                        new String[] {
                            "--exchanges", "coinbase,kraken,bitstamp",
                            "--bitstamp-url", "http://127.0.0.1:9000/bitstamp/",
                            "--bitstamp-ws-url", "ws://127.0.0.1:9001/bitstamp",
                            "--kraken-depth", "25"
                        });
        assertThat(o.exchanges).containsExactly("coinbase", "kraken", "bitstamp");
        assertThat(o.restUrls)
                .containsEntry("bitstamp", "http://127.0.0.1:9000/bitstamp")
                .containsEntry("coinbase", "https://api.exchange.coinbase.com")
                .containsEntry("kraken", "https://api.kraken.com");
        assertThat(o.wsUrls)
                .containsEntry("bitstamp", "ws://127.0.0.1:9001/bitstamp")
                .containsEntry("kraken", "wss://ws.kraken.com/v2");
        // Every registered venue that takes a depth has one: Kraken as given, Bitfinex its default.
        assertThat(o.depths).isEqualTo(Map.of("kraken", 25, "bitfinex", 250));

        RunOptions defaults = RunOptions.parse(new String[0]);
        assertThat(defaults.exchanges).containsExactly("coinbase", "kraken");
        assertThat(defaults.wsUrls).containsEntry("bitstamp", "wss://ws.bitstamp.net");

        CliRun bad = CliRun.exec("run", "--exchanges", "coinbase,binance");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip())
                .contains("unknown exchange 'binance'")
                .contains("bitstamp")
                .doesNotContain("\n");
        CliRun depth = CliRun.exec("run", "--kraken-depth", "11");
        assertThat(depth.code()).isEqualTo(2);
        assertThat(depth.err().strip())
                .contains("--kraken-depth must be one of [10, 25, 100, 500, 1000], got 11");
        CliRun noDepth = CliRun.exec("run", "--bitstamp-depth", "100");
        assertThat(noDepth.code()).as("bitstamp takes no depth").isEqualTo(2);
    }

    @Test
    void shouldTellWhetherAVenueIsPolledAtItsRealUrl() throws Exception {
        assertThat(
                        RunOptions.parse(
                                        new String[] {
                                            "--exchanges",
                                            "coinbase,bitstamp",
                                            "--bitstamp-url",
                                            "http://127.0.0.1:9000/bitstamp"
                                        })
                                .pollsALiveVenue())
                .as("coinbase at its real URL")
                .isTrue();
        assertThat(
                        RunOptions.parse(
                                        new String[] {
                                            "--exchanges",
                                            "bitstamp",
                                            "--bitstamp-url",
                                            "http://127.0.0.1:9000/bitstamp"
                                        })
                                .pollsALiveVenue())
                .isFalse();
    }
}
