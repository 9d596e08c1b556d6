package io.depthflow.sources.venue.coinbase;

import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static io.depthflow.sources.testing.Fixtures.docsExample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoinbaseWsParserTest {

    private final CoinbaseWsParser parser = new CoinbaseWsParser();
    private final StreamMessage m = new StreamMessage();

    @Test
    void shouldParseTheDocumentedLevel2Snapshot() throws Exception {
        parser.parse(docsExample("coinbase-advanced-l2-data.json"), "BTC/USD", m);
        assertThat(m.type).isEqualTo(Type.BOOK_SNAPSHOT);
        assertThat(m.markets).containsExactly("BTC/USD");
        assertThat(m.sequence).isZero();
        assertThat(m.levelCount).isEqualTo(2);
        assertThat(m.isBid(0)).isTrue();
        assertThat(BigDecimal.valueOf(m.price(0), m.priceScale(0)))
                .isEqualTo(new BigDecimal("21921.73"));
        assertThat(BigDecimal.valueOf(m.size(1), m.sizeScale(1))).isEqualTo(new BigDecimal("0.02"));
    }

    @Test
    void shouldParseHeartbeatsSubscriptionsAndErrors() throws Exception {
        parser.parse(docsExample("coinbase-advanced-heartbeats.json"), null, m);
        assertThat(m.type).isEqualTo(Type.HEARTBEAT);
        assertThat(m.sequence).isZero();
        parser.parse(
                "{\"channel\":\"subscriptions\",\"client_id\":\"\",\"timestamp\":\"t\",\"sequence_num\":3,"
                        + "\"events\":[{\"subscriptions\":{\"level2\":[\"BTC-USD\"]}}]}",
                null,
                m);
        assertThat(m.type).isEqualTo(Type.SUBSCRIBED);
        assertThat(m.sequence).isEqualTo(3);
        parser.parse("{\"type\":\"error\",\"message\":\"failure to subscribe\"}", null, m);
        assertThat(m.type).isEqualTo(Type.ERROR);
        assertThat(m.error).isEqualTo("failure to subscribe");
    }

    @Test
    void shouldKeepOnlyTheRequestedMarketsLevelsAndLetASnapshotSupersedeEarlierEvents()
            throws Exception {
        String msg =
                "{\"channel\":\"l2_data\",\"sequence_num\":9,\"events\":["
                        + "{\"type\":\"update\",\"product_id\":\"BTC-USD\",\"updates\":[{\"side\":\"offer\",\"price_level\":\"1.5\",\"new_quantity\":\"2\"}]},"
                        + "{\"type\":\"update\",\"product_id\":\"ETH-USD\",\"updates\":[{\"side\":\"bid\",\"price_level\":\"1.1\",\"new_quantity\":\"3\"}]},"
                        + "{\"type\":\"snapshot\",\"product_id\":\"BTC-USD\",\"updates\":[{\"side\":\"ask\",\"price_level\":\"1.6\",\"new_quantity\":\"0\"}]}]}";
        parser.parse(msg, "BTC/USD", m);
        assertThat(m.markets).containsExactly("BTC/USD", "ETH/USD");
        assertThat(m.type).isEqualTo(Type.BOOK_SNAPSHOT);
        assertThat(m.levelCount).isEqualTo(1);
        assertThat(m.isBid(0)).isFalse();
        assertThat(m.price(0)).isEqualTo(16);
        parser.parse(msg, "ETH/USD", m);
        assertThat(m.type).isEqualTo(Type.BOOK_UPDATE);
        assertThat(m.levelCount).isEqualTo(1);
        assertThat(m.isBid(0)).isTrue();
    }

    @Test
    void shouldRejectUnknownSidesAndMissingFields() {
        String base =
                "{\"channel\":\"l2_data\",\"sequence_num\":1,\"events\":[{\"type\":\"update\",\"product_id\":\"BTC-USD\",\"updates\":[@@]}]}";
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        base.replace(
                                                "@@",
                                                "{\"side\":\"buy\",\"price_level\":\"1\",\"new_quantity\":\"1\"}"),
                                        null,
                                        m))
                .isInstanceOf(BookParseException.class)
                .hasMessageContaining("neither bid nor offer/ask");
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        base.replace(
                                                "@@", "{\"side\":\"bid\",\"price_level\":\"1\"}"),
                                        null,
                                        m))
                .hasMessageContaining("lacks new_quantity");
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        base.replace(
                                                "@@",
                                                "{\"side\":\"bid\",\"price_level\":\"1.0e3\",\"new_quantity\":\"1\"}"),
                                        null,
                                        m))
                .hasMessageContaining("not a plain decimal");
    }

    /** A key read twice has no single meaning: every key the parser reads, at every level. */
    @Test
    void shouldRejectARepeatedKeyAtEveryLevelButIgnoreRepeatsOfKeysItSkips() throws Exception {
        String update =
                "{\"channel\":\"l2_data\",\"sequence_num\":1,\"events\":[{\"type\":\"update\",\"product_id\":\"BTC-USD\","
                        + "\"updates\":[{\"side\":\"bid\",\"price_level\":\"100.5\",\"new_quantity\":\"1\"}]}]}";
        String[][] cases = {
            {
                "\"sequence_num\":1",
                "\"sequence_num\":1,\"sequence_num\":2",
                "coinbase: duplicate key sequence_num"
            },
            {
                "\"channel\":\"l2_data\"",
                "\"channel\":\"l2_data\",\"channel\":\"heartbeats\"",
                "coinbase: duplicate key channel"
            },
            {
                "\"type\":\"update\"",
                "\"type\":\"update\",\"type\":\"snapshot\"",
                "coinbase: duplicate key events[0].type"
            },
            {
                "\"product_id\":\"BTC-USD\"",
                "\"product_id\":\"BTC-USD\",\"product_id\":\"ETH-USD\"",
                "coinbase: duplicate key events[0].product_id"
            },
            {
                "\"side\":\"bid\"",
                "\"side\":\"bid\",\"side\":\"offer\"",
                "coinbase: duplicate key events[0].updates[0].side"
            },
            {
                "\"price_level\":\"100.5\"",
                "\"price_level\":\"100.5\",\"price_level\":\"99\"",
                "coinbase: duplicate key events[0].updates[0].price_level"
            },
            {
                "\"new_quantity\":\"1\"",
                "\"new_quantity\":\"1\",\"new_quantity\":\"0\"",
                "coinbase: duplicate key events[0].updates[0].new_quantity"
            },
        };
        for (String[] c : cases) {
            String bad = update.replace(c[0], c[1]);
            assertThat(bad).isNotEqualTo(update);
            assertThatThrownBy(() -> parser.parse(bad, null, m))
                    .isInstanceOf(BookParseException.class)
                    .hasMessage(c[2]);
        }
        String twoUpdates = update.replace("}]}]}", "}],\"updates\":[]}]}");
        assertThatThrownBy(() -> parser.parse(twoUpdates, null, m))
                .hasMessage("coinbase: duplicate key events[0].updates");

        parser.parse(
                update.replace(
                        "\"new_quantity\":\"1\"",
                        "\"new_quantity\":\"1\",\"event_time\":\"a\",\"event_time\":\"b\""),
                null,
                m);
        assertThat(m.type).isEqualTo(StreamMessage.Type.BOOK_UPDATE);
        assertThat(m.levelCount).isEqualTo(1);
        assertThat(m.price(0)).isEqualTo(1005);
    }

    @Test
    void shouldPeekTheSequenceNumberWithoutParsingEvents() {
        assertThat(CoinbaseWsParser.peekSequence(docsExample("coinbase-advanced-l2-data.json")))
                .isZero();
        assertThat(
                        CoinbaseWsParser.peekSequence(
                                "{\"channel\":\"heartbeats\",\"sequence_num\":42,\"events\":[]}"))
                .isEqualTo(42);
        assertThat(CoinbaseWsParser.peekSequence("{\"type\":\"error\"}")).isEqualTo(-1);
        assertThat(CoinbaseWsParser.peekSequence("not json")).isEqualTo(-1);
    }
}
