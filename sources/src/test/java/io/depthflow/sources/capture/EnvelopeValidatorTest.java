package io.depthflow.sources.capture;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeValidatorTest {

    /** The time of reading in these tests. */
    private static final long NOW = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    /** The time of the good line every case follows. */
    private static final long T = Instant.parse("2026-11-20T11:45:03.203Z").toEpochMilli();

    private static final String KRAKEN_BTC =
            "{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[[\"90001.1\",\"1.0\",1]],\"bids\":[[\"90000.1\",\"1.0\",1]]}}}";

    private static String line(
            String exchange, String market, String receivedAt, String extra, String payload) {
        return "{\"exchange\":\""
                + exchange
                + "\",\"market\":\""
                + market
                + "\",\"kind\":\"rest_book\",\"received_at\":\""
                + receivedAt
                + "\""
                + extra
                + ",\"payload\":"
                + payload
                + "}";
    }

    private static String kraken(String market, String receivedAt) {
        return line("kraken", market, receivedAt, "", KRAKEN_BTC);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private final EnvelopeValidator validator = new EnvelopeValidator(() -> NOW);

    /** A validator that has accepted one good line at {@link #T}. */
    private EnvelopeValidator afterGoodLine() {
        DecodedLine good =
                validator.decode(bytes(kraken("BTC/USD", "2026-11-20T11:45:03.203Z")), "c.jsonl:1");
        assertThat(good.isUsable()).isTrue();
        return validator;
    }

    static Stream<Arguments> oddLines() {
        return Stream.of(
                Arguments.of(
                        "received_at in 2999",
                        bytes(kraken("BTC/USD", "2999-01-01T00:00:00.000Z")),
                        IngestError.TIME_OUT_OF_RANGE,
                        "received_at 2999-01-01T00:00:00Z is after the time of reading (2026-12-01T00:00:00Z) plus 5 min"),
                Arguments.of(
                        "received_at in 2300",
                        bytes(kraken("BTC/USD", "2300-01-01T00:00:00.291Z")),
                        IngestError.TIME_OUT_OF_RANGE,
                        "is after the time of reading"),
                Arguments.of(
                        "received_at in 1970",
                        bytes(kraken("BTC/USD", "1970-01-01T00:00:01.000Z")),
                        IngestError.TIME_OUT_OF_RANGE,
                        "received_at 1970-01-01T00:00:01Z is before 2009-01-03T00:00:00Z"),
                Arguments.of(
                        "received_at beyond epoch milliseconds",
                        bytes(kraken("BTC/USD", "+1000000000-01-01T00:00:00Z")),
                        IngestError.MALFORMED,
                        "received_at is not an ISO 8601 instant in range"),
                Arguments.of(
                        "received_at 3 h after the latest",
                        bytes(kraken("BTC/USD", "2026-11-20T14:45:03.203Z")),
                        IngestError.TIME_JUMP,
                        "received_at 2026-11-20T14:45:03.203Z is more than 60 min after the latest time accepted before it (2026-11-20T11:45:03.203Z)"),
                Arguments.of(
                        "empty market",
                        bytes(kraken("", "2026-11-20T11:45:04.000Z")),
                        IngestError.MALFORMED,
                        "market \"\" is not canonical"),
                Arguments.of(
                        "lower-case market",
                        bytes(kraken("btc/usd", "2026-11-20T11:45:04.000Z")),
                        IngestError.MALFORMED,
                        "market \"btc/usd\" is not canonical"),
                Arguments.of(
                        "SQL in the market",
                        bytes(kraken("BTC/USD'; DROP TABLE x; --", "2026-11-20T11:45:04.000Z")),
                        IngestError.MALFORMED,
                        "market \"BTC/USD'; DROP TABLE x; --\" is not canonical"),
                Arguments.of(
                        "a lone surrogate in the market",
                        bytes(kraken("BTC/\\udc80USD", "2026-11-20T11:45:04.000Z")),
                        IngestError.MALFORMED,
                        "market \"BTC/\\udc80USD\" is not canonical"),
                Arguments.of(
                        "a Kraken XXBTZUSD book labelled ETH/USD",
                        bytes(kraken("ETH/USD", "2026-11-20T11:45:04.000Z")),
                        IngestError.MALFORMED,
                        "result pair XXBTZUSD is not the book of the message's market ETH/USD (expected ETHUSD or XETHZUSD)"),
                Arguments.of(
                        "a Coinbase product other than the market",
                        bytes(
                                line(
                                        "coinbase",
                                        "ETH/USD",
                                        "2026-11-20T11:45:04.000Z",
                                        "",
                                        "{\"product_id\":\"BTC-USD\",\"bids\":[],\"asks\":[]}")),
                        IngestError.MALFORMED,
                        "market ETH/USD but the payload is the book of product_id \"BTC-USD\" (expected ETH-USD)"),
                Arguments.of(
                        "http_status 70000",
                        bytes(
                                line(
                                        "kraken",
                                        "BTC/USD",
                                        "2026-11-20T11:45:04.000Z",
                                        ",\"http_status\":70000",
                                        KRAKEN_BTC)),
                        IngestError.MALFORMED,
                        "http_status 70000 is not an HTTP status (100..599)"),
                Arguments.of(
                        "http_status -5",
                        bytes(
                                line(
                                        "kraken",
                                        "BTC/USD",
                                        "2026-11-20T11:45:04.000Z",
                                        ",\"http_status\":-5",
                                        KRAKEN_BTC)),
                        IngestError.MALFORMED,
                        "http_status -5 is not an HTTP status"),
                Arguments.of(
                        "http_status beyond int",
                        bytes(
                                line(
                                        "kraken",
                                        "BTC/USD",
                                        "2026-11-20T11:45:04.000Z",
                                        ",\"http_status\":99999999999999999999",
                                        KRAKEN_BTC)),
                        IngestError.MALFORMED,
                        "not a capture record: invalid JSON"),
                Arguments.of(
                        "http_status as a string",
                        bytes(
                                line(
                                        "kraken",
                                        "BTC/USD",
                                        "2026-11-20T11:45:04.000Z",
                                        ",\"http_status\":\"200\"",
                                        KRAKEN_BTC)),
                        IngestError.MALFORMED,
                        "http_status is not an integer"),
                Arguments.of(
                        "unknown exchange",
                        bytes(
                                line(
                                        "binance",
                                        "BTC/USD",
                                        "2026-11-20T11:45:04.000Z",
                                        "",
                                        KRAKEN_BTC)),
                        IngestError.MALFORMED,
                        "unknown exchange \"binance\" (expected one of [coinbase, kraken, bitstamp, gemini, bitfinex])"),
                Arguments.of(
                        "unknown kind",
                        bytes(
                                kraken("BTC/USD", "2026-11-20T11:45:04.000Z")
                                        .replace("rest_book", "fix")),
                        IngestError.MALFORMED,
                        "unknown kind \"fix\""),
                Arguments.of(
                        "a field twice",
                        bytes(
                                kraken("BTC/USD", "2026-11-20T11:45:04.000Z")
                                        .replace(
                                                "{\"exchange\":\"kraken\",",
                                                "{\"exchange\":\"kraken\",\"market\":\"ETH/USD\",")),
                        IngestError.MALFORMED,
                        "duplicate field 'market'"),
                Arguments.of(
                        "a line cut short",
                        bytes(kraken("BTC/USD", "2026-11-20T11:45:04.000Z").substring(0, 150)),
                        IngestError.MALFORMED,
                        "not a capture record: invalid JSON"),
                Arguments.of(
                        "no JSON at all",
                        bytes("hello"),
                        IngestError.MALFORMED,
                        "not a capture record"),
                Arguments.of(
                        "a missing exchange",
                        bytes(
                                kraken("BTC/USD", "2026-11-20T11:45:04.000Z")
                                        .replace("\"exchange\":\"kraken\",", "")),
                        IngestError.MALFORMED,
                        "missing field 'exchange'"),
                Arguments.of(
                        "exchange as a number",
                        bytes(
                                kraken("BTC/USD", "2026-11-20T11:45:04.000Z")
                                        .replace("\"exchange\":\"kraken\"", "\"exchange\":7")),
                        IngestError.MALFORMED,
                        "exchange is not a string"),
                Arguments.of(
                        "deep nesting",
                        bytes(
                                line(
                                        "kraken",
                                        "BTC/USD",
                                        "2026-11-20T11:45:04.000Z",
                                        "",
                                        "[".repeat(5000) + "]".repeat(5000))),
                        IngestError.MALFORMED,
                        "not a capture record"),
                Arguments.of(
                        "http_status on a WebSocket line",
                        bytes(
                                "{\"exchange\":\"kraken\",\"market\":\"\",\"kind\":\"ws\",\"received_at\":\"2026-11-20T11:45:04.000Z\",\"http_status\":200,\"payload\":{}}"),
                        IngestError.MALFORMED,
                        "http_status 200 on a WebSocket line"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddLines")
    void shouldTurnEachOddLineIntoOneErrorRowWithItsPlaceAndTheLine(
            String name, byte[] odd, String type, String reason) {
        EnvelopeValidator v = afterGoodLine();

        DecodedLine d = v.decode(odd, "c.jsonl:2");

        assertThat(d.isUsable()).isFalse();
        assertThat(d.error.errorType).isEqualTo(type);
        assertThat(d.error.message).startsWith("c.jsonl:2: ").contains(reason);
        assertThat(d.error.source).isEqualTo("c.jsonl:2");
        assertThat(d.error.payload).isEqualTo(new String(odd, StandardCharsets.UTF_8));
        assertThat(d.error.exchange).isIn("kraken", "coinbase", "");
        assertThat(d.error.receivedAt)
                .as("a time ClickHouse can store, never the odd one")
                .isBetween(T, Instant.parse("2026-11-20T11:45:04.000Z").toEpochMilli());
        assertThat(v.latest()).as("a bad line moves nothing").isEqualTo(T);
    }

    @Test
    void shouldRecordALineThatIsNotUtf8InBase64() {
        byte[] odd =
                bytes(kraken("BTC/USD", "2026-11-20T11:45:04.000Z").replace("BTC/USD", "BTC/XUSD"));
        odd[odd.length / 2] = (byte) 0xC3; // a lead byte ...
        odd[odd.length / 2 + 1] = (byte) 0x28; // ... without its continuation

        DecodedLine d = afterGoodLine().decode(odd, "c.jsonl:2");

        assertThat(d.error.errorType).isEqualTo(IngestError.MALFORMED);
        assertThat(d.error.message)
                .isEqualTo(
                        "c.jsonl:2: not UTF-8 at byte "
                                + (odd.length / 2)
                                + " (payload: the line in base64)");
        assertThat(Base64.getDecoder().decode(d.error.payload)).isEqualTo(odd);
        assertThat(d.error.receivedAt).isEqualTo(T);
    }

    @Test
    void shouldGiveALineWithoutUsableTimeBeforeAnyGoodLineTimeZero() {
        DecodedLine d = validator.decode(bytes("{"), "c.jsonl:1");

        assertThat(d.error.receivedAt).isZero();
        assertThat(d.error.exchange).isEmpty();
        assertThat(d.error.market).isEmpty();
    }

    @Test
    void shouldKeepTheOwnTimeOfALineWhoseTimeIsGood() {
        DecodedLine d =
                afterGoodLine()
                        .decode(bytes(kraken("btc/usd", "2026-11-20T11:45:09.000Z")), "c.jsonl:2");

        assertThat(d.error.receivedAt)
                .isEqualTo(Instant.parse("2026-11-20T11:45:09.000Z").toEpochMilli());
        assertThat(d.error.exchange).isEqualTo("kraken");
        assertThat(d.error.market).as("not canonical: not a market").isEmpty();
    }

    @Test
    void shouldLeaveTheLinesAfterAJumpUsableAndTheirTimeReference() {
        EnvelopeValidator v = afterGoodLine();

        assertThat(
                        v.decode(bytes(kraken("BTC/USD", "2026-11-20T14:45:03.203Z")), "c.jsonl:2")
                                .isUsable())
                .isFalse();
        DecodedLine next =
                v.decode(bytes(kraken("BTC/USD", "2026-11-20T11:45:13.203Z")), "c.jsonl:3");

        assertThat(next.isUsable()).isTrue();
        assertThat(v.latest()).isEqualTo(T + 10_000);
    }

    @Test
    void shouldTakeTwoLinesThatAgreeOnAJumpAsARealGapAndRecordOnlyTheFirst() {
        EnvelopeValidator v = afterGoodLine();

        DecodedLine first =
                v.decode(bytes(kraken("BTC/USD", "2026-11-20T17:00:00.000Z")), "c.jsonl:2");
        DecodedLine second =
                v.decode(bytes(kraken("BTC/USD", "2026-11-20T17:00:10.000Z")), "c.jsonl:3");
        DecodedLine third =
                v.decode(bytes(kraken("BTC/USD", "2026-11-20T17:00:20.000Z")), "c.jsonl:4");

        assertThat(first.error.errorType).isEqualTo(IngestError.TIME_JUMP);
        assertThat(second.isUsable()).isTrue();
        assertThat(third.isUsable()).isTrue();
        assertThat(v.latest()).isEqualTo(Instant.parse("2026-11-20T17:00:20.000Z").toEpochMilli());
    }

    @Test
    void shouldAcceptWebSocketLinesOfAConnectionWithoutMarket() {
        String ws =
                "{\"exchange\":\"coinbase\",\"market\":\"\",\"kind\":\"ws\",\"received_at\":\"2026-11-20T11:45:04.000Z\","
                        + "\"payload\":{\"channel\":\"heartbeats\",\"sequence_num\":2}}";
        String event =
                "{\"exchange\":\"kraken\",\"market\":\"\",\"kind\":\"ws_event\",\"received_at\":\"2026-11-20T11:45:04.000Z\","
                        + "\"payload\":{\"event\":\"connected\",\"detail\":\"ws://127.0.0.1:1/kraken/v2\"}}";

        assertThat(validator.decode(bytes(ws), "c.jsonl:1").message.market).isEmpty();
        assertThat(validator.decode(bytes(event), "c.jsonl:2").message.kind)
                .isEqualTo(RawMessage.KIND_WS_EVENT);
    }

    @Test
    void shouldStartTheJumpRuleFromTheMedianOfTheFirstLines() {
        long median =
                EnvelopeValidator.referenceTime(
                        java.util.List.of(
                                bytes(
                                        kraken(
                                                "BTC/USD",
                                                "2026-11-20T14:45:00.000Z")), // 3 h ahead of the
                                // rest: the odd one
                                bytes(kraken("BTC/USD", "2026-11-20T11:45:00.000Z")),
                                bytes("not a line"),
                                bytes(kraken("BTC/USD", "2026-11-20T11:45:10.000Z"))),
                        () -> NOW);
        EnvelopeValidator v = new EnvelopeValidator(() -> NOW).startingAt(median);

        assertThat(median).isEqualTo(Instant.parse("2026-11-20T11:45:10.000Z").toEpochMilli());
        assertThat(
                        v.decode(bytes(kraken("BTC/USD", "2026-11-20T14:45:00.000Z")), "c.jsonl:1")
                                .error
                                .errorType)
                .isEqualTo(IngestError.TIME_JUMP);
        assertThat(
                        v.decode(bytes(kraken("BTC/USD", "2026-11-20T11:45:00.000Z")), "c.jsonl:2")
                                .isUsable())
                .isTrue();
    }

    @Test
    void shouldAcceptTheDocumentedLinesUnchanged() {
        String line = kraken("BTC/USD", "2026-11-20T11:45:03.203Z");

        DecodedLine d = validator.decode(bytes(line), "c.jsonl:1");

        assertThat(d.message).isEqualTo(CaptureFormat.decode(line));
        assertThat(d.eventTime()).isEqualTo(T);
    }
}
