package io.depthflow.sources.capture;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.model.RawMessage;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One {@link RawMessage} per line of JSON (JSON Lines, UTF-8):
 *
 * <pre>{@code
 * {"exchange":"kraken","market":"BTC/USD","kind":"rest_book","received_at":"2026-11-20T11:45:03.203Z","payload":{"error":[],"result":{...}}}
 * {"exchange":"kraken","market":"BTC/USD","kind":"rest_book","received_at":"2026-11-20T11:46:00.912Z","http_status":500,"payload":"<html>..."}
 * {"exchange":"coinbase","market":"ETH/USD","kind":"rest_book","received_at":"2026-11-20T11:47:10.001Z","error":"HttpTimeoutException: request timed out","payload":""}
 * }</pre>
 *
 * <ul>
 *   <li>{@code exchange}, {@code market}, {@code kind}: as in {@link RawMessage}.
 *   <li>{@code received_at}: ISO 8601 UTC with milliseconds (the message's epoch ms exactly).
 *   <li>{@code http_status}: written only when it is not the default: omitted means 0 (none) for
 *       WebSocket lines (kinds {@code ws}, {@code ws_event}), 200 for a response and 0 (none) for a
 *       transport failure.
 *   <li>{@code error}: the transport failure, present only when no response arrived.
 *   <li>{@code payload}, always last: the body verbatim. When the body is a JSON object or array on
 *       one line, with no surrounding whitespace, it is embedded as is, byte for byte (number
 *       literals, key order and spaces untouched: the reader cuts it out of the line by the
 *       parser's offsets, it never re-serializes a tree). Any other body (not JSON, a bare JSON
 *       scalar, JSON spanning lines, or empty) is embedded as a JSON string that decodes to exactly
 *       the same text. The two cases cannot be confused: an object or array value is raw JSON, a
 *       string value is text.
 * </ul>
 *
 * <p>Unknown fields are skipped when decoding, so later versions may add fields. Thread-safe.
 */
@PublicEvolving
public final class CaptureFormat {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter RECEIVED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CaptureFormat() {}

    /** The capture line of {@code message}, without the line break. */
    public static String encode(RawMessage message) {
        StringWriter line =
                new StringWriter(256 + (message.payload == null ? 0 : message.payload.length()));
        try (JsonGenerator json = FACTORY.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("exchange", message.exchange);
            json.writeStringField("market", message.market);
            json.writeStringField("kind", message.kind);
            json.writeStringField(
                    "received_at", RECEIVED_AT.format(Instant.ofEpochMilli(message.receivedAt)));
            if (message.httpStatus != defaultStatus(message.kind, message.error != null)) {
                json.writeNumberField("http_status", message.httpStatus);
            }
            if (message.error != null) {
                json.writeStringField("error", message.error);
            }
            json.writeFieldName("payload");
            String payload = message.payload == null ? "" : message.payload;
            if (isEmbeddableJson(payload)) {
                json.writeRawValue(payload);
            } else {
                json.writeString(payload);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to a StringWriter", e);
        }
        return line.toString();
    }

    /**
     * The message of one capture line; throws {@link CaptureFormatException} when it is not one.
     */
    public static RawMessage decode(String line) {
        RawMessage message = new RawMessage();
        String receivedAt = null;
        Integer httpStatus = null;
        boolean hasPayload = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CaptureFormatException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                // A field given twice has no single meaning (which market, which time?).
                if (!seen.add(field)) {
                    throw new CaptureFormatException("duplicate field '" + field + "'");
                }
                JsonToken value = p.nextToken();
                switch (field) {
                    case "exchange":
                        message.exchange = text(p, field);
                        break;
                    case "market":
                        message.market = text(p, field);
                        break;
                    case "kind":
                        message.kind = text(p, field);
                        break;
                    case "received_at":
                        receivedAt = text(p, field);
                        break;
                    case "http_status":
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new CaptureFormatException("http_status is not an integer");
                        }
                        httpStatus = p.getIntValue();
                        break;
                    case "error":
                        message.error = text(p, field);
                        break;
                    case "payload":
                        message.payload = payload(p, line);
                        hasPayload = true;
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new CaptureFormatException("the record is cut short");
            }
            if (p.nextToken() != null) {
                throw new CaptureFormatException("unexpected content after the record");
            }
        } catch (JsonProcessingException e) {
            throw new CaptureFormatException(
                    "invalid JSON: " + io.depthflow.sources.parse.StrictJson.syntaxError(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a String", e);
        }
        for (String[] required :
                new String[][] {
                    {"exchange", message.exchange},
                    {"market", message.market},
                    {"kind", message.kind},
                    {"received_at", receivedAt}
                }) {
            if (required[1] == null) {
                throw new CaptureFormatException("missing field '" + required[0] + "'");
            }
        }
        if (!hasPayload) {
            throw new CaptureFormatException("missing field 'payload'");
        }
        try {
            message.receivedAt = Instant.parse(receivedAt).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            // ArithmeticException: a valid instant beyond the range of epoch milliseconds.
            throw new CaptureFormatException(
                    "received_at is not an ISO 8601 instant in range: " + receivedAt);
        }
        message.httpStatus =
                httpStatus != null
                        ? httpStatus
                        : defaultStatus(message.kind, message.error != null);
        return message;
    }

    private static int defaultStatus(String kind, boolean transportFailure) {
        return transportFailure || !RawMessage.KIND_REST_BOOK.equals(kind) ? 0 : 200;
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new CaptureFormatException(field + " is not a string");
        }
        return p.getText();
    }

    /** The raw text of an object or array value, cut from the line; the text of a string value. */
    private static String payload(JsonParser p, String line) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            throw new CaptureFormatException("payload is neither JSON object, array nor string");
        }
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        int end = (int) p.currentTokenLocation().getCharOffset() + 1;
        return line.substring(start, end);
    }

    /**
     * Whether {@code payload} is one JSON object or array on a single line, with nothing around it
     * (not even whitespace, which the decoder could not give back).
     */
    static boolean isEmbeddableJson(String payload) {
        if (payload.isEmpty()
                || "{[".indexOf(payload.charAt(0)) < 0
                || "}]".indexOf(payload.charAt(payload.length() - 1)) < 0
                || payload.indexOf('\n') >= 0
                || payload.indexOf('\r') >= 0) {
            return false;
        }
        try (JsonParser p = FACTORY.createParser(payload)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
