package io.depthflow.sources.capture;

import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of {@link EnvelopeValidator} over many random lines: valid lines of every kind, then
 * mutated (bytes flipped, cut, inserted, repeated, numbers and times replaced). Whatever a line
 * holds, decoding never throws and gives exactly one message or one error row; an error row is
 * storable (a time ClickHouse accepts, a known exchange or none, a canonical market or none), names
 * its place and carries the line itself; and an unusable line never changes what the validator
 * remembers, so it cannot change how any other line is judged.
 */
class EnvelopeValidatorPropertyTest {

    private static final long NOW = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final long T = Instant.parse("2026-11-20T11:45:00Z").toEpochMilli();

    private static final List<String> VALID =
            List.of(
                    CaptureFormat.encode(
                            RawMessage.restResponse(
                                    "kraken",
                                    "BTC/USD",
                                    T,
                                    200,
                                    "{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[[\"90001.1\",\"1.0\",1]],\"bids\":[[\"90000.1\",\"1.0\",1]]}}}")),
                    CaptureFormat.encode(
                            RawMessage.restResponse(
                                    "coinbase",
                                    "ETH/USD",
                                    T,
                                    200,
                                    "{\"sequence\":5,\"bids\":[[\"3000.01\",\"0.5\",2]],\"asks\":[[\"3000.02\",\"1.25\",1]]}")),
                    CaptureFormat.encode(
                            RawMessage.restResponse(
                                    "kraken", "ETH/USD", T, 503, "<html>503</html>")),
                    CaptureFormat.encode(
                            RawMessage.restFailure(
                                    "coinbase",
                                    "BTC/USD",
                                    T,
                                    "HttpTimeoutException: request timed out")),
                    CaptureFormat.encode(
                            RawMessage.wsMessage(
                                    "coinbase",
                                    "",
                                    T,
                                    "{\"channel\":\"heartbeats\",\"sequence_num\":2}")),
                    CaptureFormat.encode(
                            RawMessage.wsMessage(
                                    "kraken",
                                    "BTC/USD",
                                    T,
                                    "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[],\"asks\":[],\"checksum\":1}]}")));

    private static final String[] REPLACEMENTS = {
        "\"",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\\",
        "null",
        "true",
        "-5",
        "70000",
        "1e400",
        "9".repeat(40),
        "\"2999-01-01T00:00:00Z\"",
        "\"1970-01-01T00:00:00Z\"",
        "\"+1000000000-01-01T00:00:00Z\"",
        "\u0000",
        "\u00e9",
        "\ud800",
        "\"market\":\"ETH/USD\",",
        "\"http_status\":200,",
        "[".repeat(2_000)
    };

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldTurnAnyLineIntoExactlyOneUsableMessageOrOneStorableErrorRow(long seed) {
        Random random = new Random(seed);
        EnvelopeValidator validator = new EnvelopeValidator(() -> NOW).startingAt(T);
        int unusable = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] line =
                    mutate(
                            VALID.get(random.nextInt(VALID.size()))
                                    .getBytes(StandardCharsets.UTF_8),
                            random);
            long latestBefore = validator.latest();
            String source = "fuzz.jsonl:" + (i + 1);

            DecodedLine d = validator.decode(line, source);

            assertThat(d.message == null)
                    .as("exactly one of message and error")
                    .isNotEqualTo(d.error == null);
            if (d.isUsable()) {
                RawMessage m = d.message;
                assertThat(m.receivedAt)
                        .isBetween(
                                EnvelopeValidator.EARLIEST,
                                NOW + EnvelopeValidator.FUTURE_TOLERANCE.toMillis());
                assertThat(m.receivedAt)
                        .isLessThanOrEqualTo(latestBefore + EnvelopeValidator.MAX_JUMP.toMillis());
                assertThat(List.of("coinbase", "kraken")).contains(m.exchange);
                assertThat(m.market.isEmpty() || Markets.validate(m.market).equals(m.market))
                        .isTrue();
                assertThat(CaptureFormat.decode(CaptureFormat.encode(m)))
                        .as("a usable message is a capture record")
                        .isEqualTo(m);
            } else {
                unusable++;
                IngestError e = d.error;
                assertThat(validator.latest())
                        .as("an unusable line changes nothing")
                        .isEqualTo(latestBefore);
                assertThat(e.source).isEqualTo(source);
                assertThat(e.message).startsWith(source + ": ");
                assertThat(e.errorType)
                        .isIn(
                                IngestError.MALFORMED,
                                IngestError.TIME_OUT_OF_RANGE,
                                IngestError.TIME_JUMP);
                assertThat(e.exchange).isIn("", "coinbase", "kraken");
                assertThat(e.market.isEmpty() || Markets.validate(e.market).equals(e.market))
                        .isTrue();
                assertThat(e.receivedAt)
                        .as("a time ClickHouse stores")
                        .isBetween(
                                EnvelopeValidator.EARLIEST,
                                NOW + EnvelopeValidator.FUTURE_TOLERANCE.toMillis());
                byte[] kept =
                        e.message.contains("(payload: the line in base64)")
                                ? Base64.getDecoder().decode(e.payload)
                                : e.payload.getBytes(StandardCharsets.UTF_8);
                assertThat(kept).as("the line itself").isEqualTo(line);
            }
        }
        assertThat(unusable).as("the mutations make most lines unusable").isGreaterThan(1_000);
    }

    private static byte[] mutate(byte[] line, Random random) {
        byte[] out = line;
        int mutations = 1 + random.nextInt(3);
        for (int k = 0; k < mutations; k++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(6)) {
                case 0: // flip a byte (never into a line break)
                    out = out.clone();
                    byte b = (byte) random.nextInt(256);
                    out[at] = b == '\n' || b == '\r' ? (byte) 0x80 : b;
                    break;
                case 1: // cut short
                    out = Arrays.copyOf(out, Math.max(1, at));
                    break;
                case 2: // delete a range
                    int len = random.nextInt(Math.max(1, out.length - at));
                    byte[] shorter = new byte[out.length - len];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + len, shorter, at, out.length - at - len);
                    out = shorter.length == 0 ? new byte[] {'x'} : shorter;
                    break;
                case 3: // insert a token
                    out =
                            insert(
                                    out,
                                    at,
                                    REPLACEMENTS[random.nextInt(REPLACEMENTS.length)].getBytes(
                                            StandardCharsets.UTF_8));
                    break;
                case 4: // repeat the line
                    out = insert(out, out.length, out);
                    break;
                default: // random bytes
                    byte[] noise = new byte[1 + random.nextInt(20)];
                    random.nextBytes(noise);
                    for (int i = 0; i < noise.length; i++) {
                        if (noise[i] == '\n' || noise[i] == '\r') {
                            noise[i] = ' ';
                        }
                    }
                    out = insert(out, at, noise);
            }
        }
        return out;
    }

    private static byte[] insert(byte[] into, int at, byte[] what) {
        byte[] out = new byte[into.length + what.length];
        System.arraycopy(into, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(into, at, out, at + what.length, into.length - at);
        return out;
    }
}
