package io.depthflow.sources.venue.bitfinex;

import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.venue.RecordedFeed;
import io.depthflow.sources.venue.bitfinex.BitfinexWsParser.Kind;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitfinexWsParserTest {

    private final BitfinexWsParser parser = new BitfinexWsParser();
    private final StreamMessage m = new StreamMessage();

    @Test
    void shouldReadTheWholeRealRecording() throws BookParseException {
        Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        BitfinexSequence sequence = new BitfinexSequence();
        int gaps = 0;
        long missing = 0;
        int snapshots = 0;
        for (String payload : RecordedFeed.received("bitfinex/bitfinex-ws.txt")) {
            Kind kind = parser.parse(payload, m);
            kinds.merge(kind, 1, Integer::sum);
            if (payload.startsWith("[")) {
                assertThat(m.sequence).as(payload).isPositive();
            }
            if (sequence.accept(m.sequence)
                    == io.depthflow.sources.venue.ConnectionSequence.Verdict.GAP) {
                gaps++;
                missing += sequence.missing();
            }
            if (m.type == Type.BOOK_SNAPSHOT) {
                snapshots++;
            }
        }
        // The recording keeps two symbols of a larger one: its sequence has holes (its README).
        assertThat(gaps).isEqualTo(111);
        assertThat(missing).isEqualTo(541);
        assertThat(snapshots).isEqualTo(2);
        assertThat(kinds)
                .containsEntry(Kind.BOOK, 2 + 1104)
                .containsEntry(Kind.SUBSCRIBED, 2)
                .containsEntry(Kind.HEARTBEAT, 12)
                .containsEntry(Kind.CONF, 1)
                .containsEntry(Kind.INFO, 1)
                .containsEntry(Kind.OTHER, 4 + 10);
    }

    @Test
    void shouldParseTheRealSnapshotsExactly() throws BookParseException {
        StreamMessage snapshot = null;
        for (String payload : RecordedFeed.received("bitfinex/bitfinex-ws.txt")) {
            parser.parse(payload, m);
            if (m.type == Type.BOOK_SNAPSHOT && "MNA/BTC".equals(m.market())) {
                snapshot = m;
                break;
            }
        }
        assertThat(snapshot).isNotNull();
        assertThat(m.levelCount).isEqualTo(52 + 86);
        assertThat(m.sequence).isEqualTo(30);
        // First level [0.00002505,2,684.8165873]: a bid; first ask [0.00002531,1,-419.18518378].
        assertThat(m.isBid(0)).isTrue();
        assertThat(m.price(0)).isEqualTo(2505);
        assertThat(m.priceScale(0)).isEqualTo(8);
        assertThat(m.size(0)).isEqualTo(6848165873L);
        assertThat(m.sizeScale(0)).isEqualTo(7);
        assertThat(m.isBid(52)).isFalse();
        assertThat(m.price(52)).isEqualTo(2531);
        assertThat(m.size(52)).isEqualTo(41918518378L);
        assertThat(m.sizeScale(52)).isEqualTo(8);
    }

    @Test
    void shouldReadUpdatesRemovalsChecksumsAndHeartbeats() throws BookParseException {
        assertThat(
                        parser.parse(
                                Fixtures.resource(
                                        "fixtures/docs-examples/bitfinex/bitfinex-ws-book-subscribed.json"),
                                m))
                .isEqualTo(Kind.SUBSCRIBED);
        assertThat(m.market()).isEqualTo("ETH/USD");
        assertThat(m.depth).isEqualTo(25);
        assertThat(parser.channelOf("ETH/USD")).isEqualTo(10092);

        assertThat(parser.parse("[10092,[3000.5,2,-1.25],17]", m)).isEqualTo(Kind.BOOK);
        assertThat(m.type).isEqualTo(Type.BOOK_UPDATE);
        assertThat(m.isBid(0)).isFalse();
        assertThat(m.size(0)).isEqualTo(125);
        assertThat(m.sequence).isEqualTo(17);

        // count 0: remove; amount 1 means the bid side, -1 the ask side.
        parser.parse("[10092,[3000.5,0,-1],18]", m);
        assertThat(m.isBid(0)).isFalse();
        assertThat(m.size(0)).isZero();
        parser.parse("[10092,[2999,0,1],19]", m);
        assertThat(m.isBid(0)).isTrue();
        assertThat(m.size(0)).isZero();

        assertThat(parser.parse("[10092,\"cs\",-1327364571,20]", m)).isEqualTo(Kind.CHECKSUM);
        assertThat(m.type).isEqualTo(Type.BOOK_UPDATE);
        assertThat(m.levelCount).isZero();
        assertThat(m.checksum).isEqualTo(-1327364571L & 0xFFFF_FFFFL);
        assertThat(m.market()).isEqualTo("ETH/USD");
        assertThat(m.sequence).isEqualTo(20);

        assertThat(parser.parse("[10092,\"hb\",21]", m)).isEqualTo(Kind.HEARTBEAT);
        assertThat(m.type).isEqualTo(Type.HEARTBEAT);
        assertThat(m.sequence).isEqualTo(21);

        assertThat(
                        parser.parse(
                                "{\"event\":\"unsubscribed\",\"status\":\"OK\",\"chanId\":10092}",
                                m))
                .isEqualTo(Kind.UNSUBSCRIBED);
        assertThat(m.market()).isEqualTo("ETH/USD");
        assertThat(parser.channelOf("ETH/USD")).isEqualTo(-1);
        assertThat(parser.parse("[10092,[3000.5,2,-1.25],22]", m)).isEqualTo(Kind.OTHER);
    }

    @Test
    void shouldClassifyEventsAsTheDocsDescribeThem() throws BookParseException {
        assertThat(
                        parser.parse(
                                Fixtures.resource(
                                        "fixtures/docs-examples/bitfinex/bitfinex-ws-pong.json"),
                                m))
                .isEqualTo(Kind.PONG);
        assertThat(m.type).isEqualTo(Type.PONG);
        assertThat(
                        parser.parse(
                                "{\"event\":\"info\",\"code\":20051,\"msg\":\"Stop/Restart Websocket Server (please reconnect)\"}",
                                m))
                .isEqualTo(Kind.RECONNECT);
        assertThat(parser.infoCode()).isEqualTo(20051);
        assertThat(
                        parser.parse(
                                "{\"event\":\"info\",\"code\":20060,\"msg\":\"Entering in Maintenance mode\"}",
                                m))
                .isEqualTo(Kind.MAINTENANCE);
        assertThat(
                        parser.parse(
                                "{\"event\":\"info\",\"code\":20061,\"msg\":\"Maintenance ended\"}",
                                m))
                .isEqualTo(Kind.MAINTENANCE_END);
        assertThat(
                        parser.parse(
                                "{\"event\":\"info\",\"version\":2,\"platform\":{\"status\":0}}",
                                m))
                .isEqualTo(Kind.MAINTENANCE);
        assertThat(
                        parser.parse(
                                "{\"event\":\"error\",\"msg\":\"Unknown Book length\",\"code\":10012,\"symbol\":\"tBTCUSD\"}",
                                m))
                .isEqualTo(Kind.ERROR);
        assertThat(m.type).isEqualTo(Type.ERROR);
        assertThat(m.error).isEqualTo("Unknown Book length (code 10012)");
        assertThat(m.market()).isEqualTo("BTC/USD");
        assertThat(parser.parse("{\"event\":\"conf\",\"status\":\"OK\",\"flags\":196608}", m))
                .isEqualTo(Kind.CONF);
    }

    @Test
    void shouldDecodeAGivenMarketsChannelWithoutItsSubscription() throws BookParseException {
        // A decoder that starts mid-stream (the job after a restore) is told the market.
        assertThat(parser.parse("[232955,[0.0010262,1,8],31]", "IOT/ETH", m)).isEqualTo(Kind.BOOK);
        assertThat(m.market()).isEqualTo("IOT/ETH");
        assertThat(m.size(0)).isEqualTo(8);
        assertThat(parser.parse("[232955,\"cs\",5,32]", "IOT/ETH", m)).isEqualTo(Kind.CHECKSUM);
        assertThat(parser.parse("[232955,[0.0010262,1,8],31]", m)).isEqualTo(Kind.OTHER);
        parser.parse(
                "{\"event\":\"subscribed\",\"channel\":\"book\",\"chanId\":232955,\"symbol\":\"tIOTETH\",\"len\":\"100\"}",
                m);
        assertThat(parser.parse("[232955,[0.0010262,1,8],33]", "MNA/BTC", m)).isEqualTo(Kind.OTHER);
        assertThat(m.levelCount).isZero();
    }

    @Test
    void shouldPeekTheTrailingSequenceNumber() {
        assertThat(BitfinexWsParser.peekSequence("[232955,[0.0010262,1,8],31]")).isEqualTo(31);
        assertThat(BitfinexWsParser.peekSequence("[17,\"hb\",1670]")).isEqualTo(1670);
        assertThat(BitfinexWsParser.peekSequence("[17,\"cs\",-1327364571,20]")).isEqualTo(20);
        assertThat(BitfinexWsParser.peekSequence("[17,[90000,1,1]]")).isEqualTo(-1);
        assertThat(BitfinexWsParser.peekSequence("[17,\"hb\"]")).isEqualTo(-1);
        assertThat(BitfinexWsParser.peekSequence("{\"event\":\"info\"}")).isEqualTo(-1);
        for (String payload : RecordedFeed.received("bitfinex/bitfinex-ws.txt")) {
            long peeked = BitfinexWsParser.peekSequence(payload);
            try {
                new BitfinexWsParser().parse(payload, m);
            } catch (BookParseException e) {
                throw new AssertionError(e);
            }
            assertThat(peeked).as(payload).isEqualTo(m.sequence);
        }
    }

    @Test
    void shouldRejectWhatIsNotTheDocumentedShape() throws BookParseException {
        parser.parse(
                "{\"event\":\"subscribed\",\"channel\":\"book\",\"chanId\":5,\"symbol\":\"tBTCUSD\",\"len\":\"250\"}",
                m);
        assertThatThrownBy(() -> parser.parse("[5,[[90000,0,1]],1]", m))
                .hasMessage("bitfinex: [1][0][1] (count) is 0 in a snapshot");
        assertThatThrownBy(() -> parser.parse("[5,[90000,1,0],1]", m))
                .hasMessage("bitfinex: [1][2] (amount) is zero: neither a bid nor an ask");
        assertThatThrownBy(() -> parser.parse("[5,[\"90000\",1,1],1]", m))
                .hasMessage("bitfinex: [1][0] (price) is not a number: \"90000\"");
        assertThatThrownBy(() -> parser.parse("[5,[-90000,1,1],1]", m))
                .hasMessage("bitfinex: [1][0] (price) is not positive: -90000");
        assertThatThrownBy(() -> parser.parse("[5,[90000,1,1,7],1]", m))
                .hasMessage("bitfinex: [1] has more than 3 elements");
        assertThatThrownBy(() -> parser.parse("[5,\"cs\",4294967295,1]", m))
                .hasMessage("bitfinex: [2] (checksum) is not a signed 32-bit integer: 4294967295");
        assertThatThrownBy(() -> parser.parse("[5,[90000,1,1],\"x\"]", m))
                .hasMessage("bitfinex: sequence number is not an integer: \"x\"");
        assertThatThrownBy(() -> parser.parse("\"hb\"", m))
                .hasMessage("bitfinex: message is neither a JSON array nor an object: \"hb\"");
        assertThatThrownBy(() -> parser.parse("{\"event\":\"info\",\"event\":\"conf\"}", m))
                .hasMessage("bitfinex: duplicate key event");
        assertThatThrownBy(() -> parser.parse("[5,[90000,1,1],1] x", m))
                .hasMessageStartingWith("bitfinex: invalid JSON");
    }
}
