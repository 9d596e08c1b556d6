package io.depthflow.sources.venue.gemini;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.model.Decimals;
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
 * Parses the body of Gemini {@code GET /v1/book/btcusd?limit_bids=0&limit_asks=0}:
 *
 * <pre>{@code
 * {"bids":[{"price":"3607.85","amount":"6.643373","timestamp":"1547147541"}],
 *  "asks":[{"price":"3607.86","amount":"14.68205084","timestamp":"1547147541"}]}
 * }</pre>
 *
 * <p>Each level is an object whose {@code price} and {@code amount} are decimal strings ("The
 * quantities and prices returned are returned as strings rather than numbers. The numbers returned
 * are exact"); {@code timestamp} and other fields are skipped. The body has no book-wide time or
 * sequence: {@link OrderBookSnapshot#exchangeTime} and {@link OrderBookSnapshot#sequence} are 0.
 *
 * <p>Errors: Gemini answers {@code {"result":"error","reason":"InvalidSymbol","message":"..."}};
 * with a status other than 200 that is {@link IngestError#HTTP} with the reason and message, with
 * 200 {@link IngestError#EXCHANGE}. Everything else follows {@link BookNormalizer}.
 */
@PublicEvolving
public final class GeminiBookParser {

    private static final String EX = Gemini.NAME;

    private GeminiBookParser() {}

    public static OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        if (raw.httpStatus != 200) {
            String error = errorText(raw.payload);
            throw new BookParseException(
                    IngestError.HTTP,
                    EX + ": HTTP " + raw.httpStatus + (error == null ? "" : ": " + error));
        }
        RawLevels bids = new RawLevels();
        RawLevels asks = new RawLevels();
        boolean error = false;
        try (JsonParser p = StrictJson.open(raw.payload)) {
            StrictJson.expectRootObject(p, EX);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "bids":
                        bids.markPresent();
                        readLevels(p, "bids", bids);
                        break;
                    case "asks":
                        asks.markPresent();
                        readLevels(p, "asks", asks);
                        break;
                    case "result":
                        error = v == JsonToken.VALUE_STRING && "error".equals(p.getText());
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
        if (error) {
            throw new BookParseException(IngestError.EXCHANGE, EX + ": " + errorText(raw.payload));
        }
        if (!bids.isPresent() || !asks.isPresent()) {
            throw StrictJson.malformed(
                    EX, "missing '" + (bids.isPresent() ? "asks" : "bids") + "'");
        }
        return BookNormalizer.normalize(EX, raw.market, raw.receivedAt, 0L, 0L, bids, asks);
    }

    /** Reads {@code [{"price":"..","amount":"..",..}, ...]} at the current token. */
    private static void readLevels(JsonParser p, String side, RawLevels into)
            throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw StrictJson.malformed(EX, side + " is not an array: " + StrictJson.describe(p));
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String at = side + "[" + i + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw StrictJson.malformed(EX, at + " is not an object: " + StrictJson.describe(p));
            }
            String price = null;
            String amount = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("price".equals(field)) {
                    price = decimal(p, at + ".price");
                } else if ("amount".equals(field)) {
                    amount = decimal(p, at + ".amount");
                } else {
                    p.skipChildren();
                }
            }
            if (price == null || amount == null) {
                throw StrictJson.malformed(
                        EX, at + " lacks " + (price == null ? "price" : "amount"));
            }
            into.add(price, amount);
            i++;
        }
    }

    private static String decimal(JsonParser p, String at) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw StrictJson.malformed(
                    EX, at + " is not a decimal string: " + StrictJson.describe(p));
        }
        String text = p.getText();
        try {
            int scale = Decimals.scaleOf(text);
            if (scale > Decimals.MAX_SCALE) {
                throw StrictJson.malformed(
                        EX,
                        at + " has " + scale + " fraction digits, more than " + Decimals.MAX_SCALE);
            }
        } catch (NumberFormatException e) {
            throw StrictJson.malformed(
                    EX, at + " is not a decimal string: " + StrictJson.describe(p));
        }
        return text;
    }

    /** {@code reason: message} of an error body, or null when the body is not one. */
    static String errorText(String payload) {
        try (JsonParser p = StrictJson.open(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String reason = null;
            String message = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING && "reason".equals(field)) {
                    reason = p.getText();
                } else if (v == JsonToken.VALUE_STRING && "message".equals(field)) {
                    message = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (reason == null && message == null) {
                return null;
            }
            return reason == null ? message : message == null ? reason : reason + ": " + message;
        } catch (IOException e) {
            return null;
        }
    }
}
