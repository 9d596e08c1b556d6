package io.depthflow.sources.venue.kraken;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static io.depthflow.sources.testing.Fixtures.docsExample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KrakenWsParserTest {

    private final KrakenWsParser parser = new KrakenWsParser();
    private final StreamMessage m = new StreamMessage();

    @Test
    void shouldParseTheDocumentedSnapshotKeepingEachNumbersLiteralDigits() throws Exception {
        parser.parse(docsExample("kraken-ws-v2-book-snapshot.json"), m);
        assertThat(m.type).isEqualTo(Type.BOOK_SNAPSHOT);
        assertThat(m.market()).isEqualTo("MATIC/USD");
        assertThat(m.checksum).isEqualTo(2_439_117_997L);
        assertThat(m.levelCount).isEqualTo(20);
        // bids first, wire order: 0.5666 x 4831.75496356
        assertThat(m.isBid(0)).isTrue();
        assertThat(decimal(m.price(0), m.priceScale(0))).isEqualTo("0.5666");
        assertThat(decimal(m.size(0), m.sizeScale(0))).isEqualTo("4831.75496356");
        // 0.566 and 18097.1547 exactly as printed (3 and 4 decimals): no double in between
        assertThat(decimal(m.price(6), m.priceScale(6))).isEqualTo("0.566");
        assertThat(decimal(m.size(6), m.sizeScale(6))).isEqualTo("18097.1547");
        assertThat(m.isBid(10)).isFalse();
        assertThat(decimal(m.price(10), m.priceScale(10))).isEqualTo("0.5668");
    }

    @Test
    void shouldParseTheDocumentedUpdateWithAnEmptySide() throws Exception {
        parser.parse(docsExample("kraken-ws-v2-book-update.json"), m);
        assertThat(m.type).isEqualTo(Type.BOOK_UPDATE);
        assertThat(m.levelCount).isEqualTo(1);
        assertThat(decimal(m.size(0), m.sizeScale(0))).isEqualTo("1098.3947558");
        assertThat(m.checksum).isEqualTo(2_114_181_697L);
    }

    @Test
    void shouldReadStringsAndNumbersWithTrailingZerosAlike() throws Exception {
        String asNumbers =
                "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
                        + "\"bids\":[{\"price\":45283.5,\"qty\":0.10000000}],\"asks\":[{\"price\":45285.2,\"qty\":0}],\"checksum\":1,\"timestamp\":\"x\"}]}";
        parser.parse(asNumbers, m);
        assertThat(decimal(m.size(0), m.sizeScale(0))).isEqualTo("0.10000000");
        assertThat(m.size(1)).isZero();
        parser.parse(
                asNumbers.replace("45283.5", "\"45283.5\"").replace("0.10000000", "\"0.10000000\""),
                m);
        assertThat(decimal(m.price(0), m.priceScale(0))).isEqualTo("45283.5");
        assertThat(decimal(m.size(0), m.sizeScale(0))).isEqualTo("0.10000000");
    }

    @Test
    void shouldParseAcksHeartbeatsPongsAndFailures() throws Exception {
        parser.parse(docsExample("kraken-ws-v2-book-subscribe-ack.json"), m);
        assertThat(m.type).isEqualTo(Type.SUBSCRIBED);
        assertThat(m.market()).isEqualTo("ALGO/USD");
        assertThat(m.depth).isEqualTo(10);

        parser.parse(docsExample("kraken-ws-v2-heartbeat.json"), m);
        assertThat(m.type).isEqualTo(Type.HEARTBEAT);
        assertThat(m.markets).isEmpty();

        parser.parse(
                "{\"method\":\"pong\",\"req_id\":101,\"time_in\":\"a\",\"time_out\":\"b\"}", m);
        assertThat(m.type).isEqualTo(Type.PONG);

        parser.parse(
                "{\"error\":\"Currency pair not supported\",\"method\":\"subscribe\",\"success\":false,\"symbol\":\"XYZ/USD\"}",
                m);
        assertThat(m.type).isEqualTo(Type.ERROR);
        assertThat(m.error).isEqualTo("subscribe failed: Currency pair not supported");
        assertThat(m.market()).isEqualTo("XYZ/USD");

        parser.parse(
                "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"api_version\":\"v2\",\"connection_id\":1,\"system\":\"online\",\"version\":\"2.0.0\"}]}",
                m);
        assertThat(m.type).isEqualTo(Type.HEARTBEAT);
    }

    @Test
    void shouldRejectExponentsNegativesAndShapesOtherThanDocumented() {
        String base =
                "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":P,\"qty\":1}],\"asks\":[],\"checksum\":1}]}";
        for (String bad : new String[] {"1e5", "-1.5", "\"12a\"", "null", "0"}) {
            assertThatThrownBy(() -> parser.parse(base.replace("P", bad), m))
                    .isInstanceOf(BookParseException.class)
                    .satisfies(
                            e ->
                                    assertThat(((BookParseException) e).errorType())
                                            .isEqualTo(IngestError.MALFORMED))
                    .hasMessageStartingWith("kraken: bids[0].price");
        }
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        "{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[]}",
                                        m))
                .hasMessageContaining("exactly one data item");
        assertThatThrownBy(() -> parser.parse("{\"foo\":1}", m))
                .hasMessageContaining("neither 'channel' nor 'method'");
        assertThatThrownBy(() -> parser.parse("{\"channel\":\"book\"", m))
                .hasMessageContaining("invalid JSON");
    }

    /** A key read twice has no single meaning: every key the parser reads, at every level. */
    @Test
    void shouldRejectARepeatedKeyAtEveryLevelButIgnoreRepeatsOfKeysItSkips() throws Exception {
        String update =
                "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
                        + "\"bids\":[{\"price\":100.5,\"qty\":1}],\"asks\":[],\"checksum\":1}]}";
        String[][] cases = {
            {
                "\"type\":\"update\"",
                "\"type\":\"update\",\"type\":\"snapshot\"",
                "kraken: duplicate key type"
            },
            {
                "\"channel\":\"book\"",
                "\"channel\":\"book\",\"channel\":\"ticker\"",
                "kraken: duplicate key channel"
            },
            {
                "\"checksum\":1",
                "\"checksum\":1,\"checksum\":2",
                "kraken: duplicate key data[0].checksum"
            },
            {
                "\"asks\":[]",
                "\"asks\":[],\"asks\":[{\"price\":101,\"qty\":1}]",
                "kraken: duplicate key data[0].asks"
            },
            {
                "\"symbol\":\"BTC/USD\"",
                "\"symbol\":\"BTC/USD\",\"symbol\":\"ETH/USD\"",
                "kraken: duplicate key data[0].symbol"
            },
            {"\"qty\":1", "\"qty\":1,\"qty\":2", "kraken: duplicate key bids[0].qty"},
            {
                "\"price\":100.5",
                "\"price\":100.5,\"price\":99",
                "kraken: duplicate key bids[0].price"
            },
        };
        for (String[] c : cases) {
            String bad = update.replace(c[0], c[1]);
            assertThat(bad).isNotEqualTo(update);
            assertThatThrownBy(() -> parser.parse(bad, m))
                    .isInstanceOf(BookParseException.class)
                    .satisfies(
                            e ->
                                    assertThat(((BookParseException) e).errorType())
                                            .isEqualTo(IngestError.MALFORMED))
                    .hasMessage(c[2]);
        }
        String ack =
                "{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":10,\"symbol\":\"BTC/USD\"},\"success\":true}";
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        ack.replace("\"depth\":10", "\"depth\":10,\"depth\":25"),
                                        m))
                .hasMessage("kraken: duplicate key result.depth");
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        ack.replace(
                                                "\"success\":true",
                                                "\"success\":true,\"success\":false"),
                                        m))
                .hasMessage("kraken: duplicate key success");

        parser.parse(
                update.replace("\"qty\":1", "\"qty\":1,\"note\":1,\"note\":2")
                        .replace("\"checksum\":1", "\"checksum\":1,\"x\":[],\"x\":{}"),
                m);
        assertThat(m.type).isEqualTo(StreamMessage.Type.BOOK_UPDATE);
        assertThat(m.levelCount).isEqualTo(1);
        assertThat(m.price(0)).isEqualTo(1005);
    }

    private static String decimal(long unscaled, int scale) {
        return BigDecimal.valueOf(unscaled, scale).toPlainString();
    }
}
