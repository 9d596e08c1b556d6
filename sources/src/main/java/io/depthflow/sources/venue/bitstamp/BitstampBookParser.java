package io.depthflow.sources.venue.bitstamp;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookNormalizer;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.RawLevels;
import io.depthflow.sources.parse.StrictJson;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Parses the body of Bitstamp {@code GET /api/v2/order_book/{pair}} (the whole book, levels grouped
 * by price, the default {@code group=1}):
 *
 * <pre>{@code
 * {"timestamp": "1641343695", "microtimestamp": "1641343695572693",
 *  "bids": [["0.14695", "4567.41344936"], ...], "asks": [["0.14844", "93.49131476"], ...]}
 * }</pre>
 *
 * <p>Each level is exactly {@code [price, amount]}, two decimal strings. {@code microtimestamp} (a
 * decimal string of epoch microseconds) becomes {@link OrderBookSnapshot#exchangeTime} in epoch ms
 * and {@link OrderBookSnapshot#sequence} (it is what the diff channel is synced against); both are
 * 0 when absent. Other fields are skipped.
 *
 * <p>Errors: a status other than 200 is {@link IngestError#HTTP} (with Bitstamp's {@code reason},
 * {@code error} or {@code message} when the body has one); a 200 body with {@code "status":
 * "error"}, a {@code reason} or an {@code error} ({@code {"status": "error", "reason": "...",
 * "code": "API0..."}}, {@code {"error": "..."}}, as ccxt's {@code handleErrors} reads them) is
 * {@link IngestError#EXCHANGE} with that text. Everything else follows {@link BookNormalizer}.
 */
@PublicEvolving
public final class BitstampBookParser {

    private static final String EX = BitstampVenue.NAME;

    private BitstampBookParser() {}

    public static OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        if (raw.httpStatus != 200) {
            String reason = reason(raw.payload);
            throw new BookParseException(
                    IngestError.HTTP,
                    EX + ": HTTP " + raw.httpStatus + (reason == null ? "" : ": " + reason));
        }
        RawLevels bids = new RawLevels();
        RawLevels asks = new RawLevels();
        long micros = 0;
        String status = null;
        String reason = null;
        try (JsonParser p = StrictJson.open(raw.payload)) {
            StrictJson.expectRootObject(p, EX);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "microtimestamp":
                        micros = micros(p, EX);
                        break;
                    case "bids":
                        bids.markPresent();
                        StrictJson.readPairLevels(p, EX, "bids", bids);
                        break;
                    case "asks":
                        asks.markPresent();
                        StrictJson.readPairLevels(p, EX, "asks", asks);
                        break;
                    case "status":
                        status =
                                p.currentToken() == JsonToken.VALUE_STRING
                                        ? p.getText()
                                        : StrictJson.describe(p);
                        break;
                    case "reason":
                    case "error":
                        reason =
                                p.currentToken() == JsonToken.VALUE_STRING
                                        ? p.getText()
                                        : errorText(p);
                        status = "error";
                        break;
                    default:
                        p.skipChildren();
                }
            }
            StrictJson.expectEndOfInput(p, EX);
        } catch (JsonProcessingException e) {
            throw StrictJson.invalidJson(EX, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if ("error".equals(status)) {
            throw new BookParseException(
                    IngestError.EXCHANGE, EX + ": " + (reason == null ? "status error" : reason));
        }
        if (!bids.isPresent() || !asks.isPresent()) {
            throw StrictJson.malformed(
                    EX, "missing '" + (bids.isPresent() ? "asks" : "bids") + "'");
        }
        return BookNormalizer.normalize(
                EX, raw.market, raw.receivedAt, micros / 1_000, micros, bids, asks);
    }

    /** A {@code microtimestamp}: a decimal string (or integer) of epoch microseconds. */
    static long micros(JsonParser p, String exchange) throws IOException, BookParseException {
        String text =
                p.currentToken() == JsonToken.VALUE_STRING
                                || p.currentToken() == JsonToken.VALUE_NUMBER_INT
                        ? p.getText()
                        : null;
        if (text == null
                || text.isEmpty()
                || text.length() > 18
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw StrictJson.malformed(
                    exchange,
                    "microtimestamp is not a whole number of microseconds: "
                            + StrictJson.describe(p));
        }
        return Long.parseLong(text);
    }

    /**
     * The text of an error object's {@code reason} that is not a plain string ({@code {"__all__":
     * ["..."]}}).
     */
    private static String errorText(JsonParser p) throws IOException {
        StringBuilder s = new StringBuilder();
        if (p.currentToken() == JsonToken.START_OBJECT
                || p.currentToken() == JsonToken.START_ARRAY) {
            int depth = 0;
            do {
                JsonToken t = p.currentToken();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.VALUE_STRING) {
                    s.append(s.length() == 0 ? "" : "; ").append(p.getText());
                }
                if (depth > 0) {
                    p.nextToken();
                }
            } while (depth > 0);
            return s.length() == 0 ? "error" : s.toString();
        }
        return StrictJson.describe(p);
    }

    /**
     * Bitstamp's {@code reason} (or {@code message}) of an error body, or null when the body is not
     * one.
     */
    private static String reason(String payload) {
        for (String field : new String[] {"reason", "error", "message"}) {
            String text = StrictJson.topLevelString(payload, field);
            if (text != null) {
                return text;
            }
        }
        return null;
    }
}
