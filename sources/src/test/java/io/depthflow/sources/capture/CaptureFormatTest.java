package io.depthflow.sources.capture;

import io.depthflow.sources.model.RawMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.depthflow.sources.testing.Fixtures.docsExample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureFormatTest {

    private static final long AT = 1_795_175_103_203L; // 2026-11-20T11:45:03.203Z

    private static RawMessage roundTrip(RawMessage message) {
        String line = CaptureFormat.encode(message);
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        RawMessage decoded = CaptureFormat.decode(line);
        assertThat(decoded).isEqualTo(message);
        return decoded;
    }

    @Test
    void shouldWriteTheDocumentedLineWithThePayloadEmbeddedVerbatim() {
        String body =
                "{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[[\"30384.10000\",\"2.059\",1688671659]],\"bids\":[]}}}";
        RawMessage message = RawMessage.restResponse("kraken", "BTC/USD", AT, 200, body);

        assertThat(CaptureFormat.encode(message))
                .isEqualTo(
                        "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\",\"kind\":\"rest_book\","
                                + "\"received_at\":\"2026-11-20T11:45:03.203Z\",\"payload\":"
                                + body
                                + "}");
        roundTrip(message);
    }

    @Test
    void shouldKeepNumberLiteralsAndOddWhitespaceByteForByte() {
        String body =
                "{ \"sequence\" :13051505638 ,\"x\":[1.50000, 2.0e+3,-0.0 ,1E2],\t\"time\":\"2021-02-12T01:09:23.334Z\" , \"s\":\"caf\u00e9 \\u00e9\\n\" }";
        RawMessage decoded =
                roundTrip(RawMessage.restResponse("coinbase", "BTC/USD", AT, 200, body));

        assertThat(decoded.payload).isEqualTo(body);
        assertThat(CaptureFormat.encode(decoded)).contains("\"payload\":" + body + "}");
    }

    @Test
    void shouldRoundTripEveryDocumentedExampleExactly() {
        for (String name :
                new String[] {
                    "coinbase-rest-book.json", "kraken-rest-depth.json", "kraken-rest-error.json"
                }) {
            String pretty = docsExample(name);
            roundTrip(RawMessage.restResponse("kraken", "BTC/USD", AT, 200, pretty));
            // The same body on one line, as the exchanges send it, is embedded raw.
            String compact = pretty.replaceAll("\\s*\\n\\s*", "");
            assertThat(
                            CaptureFormat.encode(
                                    RawMessage.restResponse("kraken", "BTC/USD", AT, 200, compact)))
                    .endsWith("\"payload\":" + compact + "}");
        }
    }

    @Test
    void shouldEmbedANonJsonBodyAsAStringAndRecordTheStatus() {
        String html =
                "<html><head><title>500 Internal Server Error</title></head>\n<body>\"oops\"</body></html>\n";
        RawMessage message = RawMessage.restResponse("kraken", "ETH/USD", AT, 500, html);

        assertThat(CaptureFormat.encode(message))
                .isEqualTo(
                        "{\"exchange\":\"kraken\",\"market\":\"ETH/USD\",\"kind\":\"rest_book\","
                                + "\"received_at\":\"2026-11-20T11:45:03.203Z\",\"http_status\":500,\"payload\":"
                                + "\"<html><head><title>500 Internal Server Error</title></head>\\n<body>\\\"oops\\\"</body></html>\\n\"}");
        roundTrip(message);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"bids\":[[\"1\",\"2\",3]],\"asks\":[[\"4\",\"5\",6]",
                "\"just a string\"",
                "12.50",
                "null",
                " {\"a\":1}",
                "{\"a\":1} ",
                "{\"a\":1}{\"b\":2}",
                "[1,2",
                "",
                "{'a':1}"
            })
    void shouldRoundTripBodiesThatAreNotASingleJsonObjectOrArray(String body) {
        RawMessage message = RawMessage.restResponse("coinbase", "ETH/USD", AT, 200, body);

        assertThat(CaptureFormat.encode(message)).contains("\"payload\":\"");
        roundTrip(message);
    }

    @Test
    void shouldRecordATransportFailureWithItsError() {
        RawMessage failure =
                RawMessage.restFailure(
                        "coinbase", "BTC/USD", AT, "HttpTimeoutException: request timed out");

        assertThat(CaptureFormat.encode(failure))
                .isEqualTo(
                        "{\"exchange\":\"coinbase\",\"market\":\"BTC/USD\",\"kind\":\"rest_book\","
                                + "\"received_at\":\"2026-11-20T11:45:03.203Z\","
                                + "\"error\":\"HttpTimeoutException: request timed out\",\"payload\":\"\"}");
        RawMessage decoded = roundTrip(failure);
        assertThat(decoded.hasResponse()).isFalse();
        assertThat(decoded.httpStatus).isZero();
    }

    @Test
    void shouldDecodeLinesWithFieldsInAnyOrderAndIgnoreUnknownOnes() {
        RawMessage decoded =
                CaptureFormat.decode(
                        "{\"payload\":[1, 2],\"note\":{\"x\":[1]},\"received_at\":\"2026-11-20T11:45:03.203456Z\","
                                + "\"kind\":\"rest_book\",\"market\":\"BTC/USD\",\"exchange\":\"kraken\",\"http_status\":429}");

        assertThat(decoded)
                .isEqualTo(
                        new RawMessage("kraken", "BTC/USD", "rest_book", AT, 429, "[1, 2]", null));
    }

    @Test
    void shouldRejectLinesThatAreNotCaptureRecords() {
        assertThatThrownBy(() -> CaptureFormat.decode("[]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> CaptureFormat.decode("{\"exchange\":\"kraken\""))
                .hasMessageStartingWith("invalid JSON: ");
        assertThatThrownBy(
                        () ->
                                CaptureFormat.decode(
                                        "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\",\"kind\":\"rest_book\",\"received_at\":\"2026-11-20T11:45:03.203Z\"}"))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage("missing field 'payload'");
        assertThatThrownBy(
                        () ->
                                CaptureFormat.decode(
                                        "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\",\"kind\":\"rest_book\",\"received_at\":\"yesterday\",\"payload\":\"\"}"))
                .hasMessage("received_at is not an ISO 8601 instant in range: yesterday");
        assertThatThrownBy(() -> CaptureFormat.decode("{\"exchange\":\"kraken\",\"payload\":42}"))
                .hasMessage("payload is neither JSON object, array nor string");
    }

    @Test
    void shouldRejectAFieldGivenTwiceAndATimeBeyondEpochMilliseconds() {
        assertThatThrownBy(
                        () ->
                                CaptureFormat.decode(
                                        "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\",\"market\":\"ETH/USD\",\"kind\":\"rest_book\","
                                                + "\"received_at\":\"2026-11-20T11:45:03.203Z\",\"payload\":\"\"}"))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage("duplicate field 'market'");
        // Instant.parse accepts it; toEpochMilli overflows (an ArithmeticException that escaped
        // before).
        assertThatThrownBy(
                        () ->
                                CaptureFormat.decode(
                                        "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\",\"kind\":\"rest_book\","
                                                + "\"received_at\":\"+1000000000-01-01T00:00:00Z\",\"payload\":\"\"}"))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage(
                        "received_at is not an ISO 8601 instant in range: +1000000000-01-01T00:00:00Z");
    }
}
