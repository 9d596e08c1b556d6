package io.depthflow.sources.venue.bitfinex;

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
 * Parses the body of Bitfinex {@code GET /v2/book/tBTCUSD/P0?len=100} (docs "Book", REST public
 * endpoints): one JSON array of levels {@code [PRICE, COUNT, AMOUNT]}, bids first, where AMOUNT is
 * positive for a bid and negative for an ask:
 *
 * <pre>{@code
 * [[8744.9,2,0.45603413],[8744.8,1,0.25],[8745,1,-0.1],[8745.1,3,-1.22]]
 * }</pre>
 *
 * <p>Numbers are JSON numbers in JavaScript form ({@code 9.1e-7}); they are read from their text
 * ({@link JsNumbers}), never through {@code double}, and handed to {@link BookNormalizer} as plain
 * decimals (sizes as the absolute amount). COUNT must be a positive integer (a P-precision book has
 * no empty level); a zero AMOUNT is malformed (it has no side). The body carries no timestamp or
 * sequence: {@link OrderBookSnapshot#exchangeTime} and {@link OrderBookSnapshot#sequence} are 0.
 *
 * <p>Errors: Bitfinex answers {@code ["error", CODE, "MESSAGE"]} (e.g. {@code ["error",10020,
 * "symbol: invalid"]}); with a status other than 200 that is {@link IngestError#HTTP} with the
 * exchange's text, with 200 {@link IngestError#EXCHANGE}. Everything else follows {@link
 * BookNormalizer}.
 */
@PublicEvolving
public final class BitfinexBookParser {

    private static final String EX = Bitfinex.NAME;

    private BitfinexBookParser() {}

    public static OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        if (raw.httpStatus != 200) {
            String error = errorText(raw.payload);
            throw new BookParseException(
                    IngestError.HTTP,
                    EX + ": HTTP " + raw.httpStatus + (error == null ? "" : ": " + error));
        }
        RawLevels bids = new RawLevels();
        RawLevels asks = new RawLevels();
        bids.markPresent();
        asks.markPresent();
        JsNumbers number = new JsNumbers();
        try (JsonParser p = StrictJson.open(raw.payload)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw StrictJson.malformed(
                        EX, "body is not a JSON array: " + StrictJson.describe(p));
            }
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (i == 0
                        && p.currentToken() == JsonToken.VALUE_STRING
                        && "error".equals(p.getText())) {
                    throw new BookParseException(
                            IngestError.EXCHANGE, EX + ": " + errorText(raw.payload));
                }
                readLevel(p, number, i, bids, asks);
                i++;
            }
            StrictJson.expectEndOfInput(p, EX);
        } catch (JsonProcessingException e) {
            throw StrictJson.invalidJson(EX, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BookNormalizer.normalize(EX, raw.market, raw.receivedAt, 0L, 0L, bids, asks);
    }

    private static void readLevel(
            JsonParser p, JsNumbers number, int i, RawLevels bids, RawLevels asks)
            throws IOException, BookParseException {
        String at = "[" + i + "]";
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw StrictJson.malformed(EX, at + " is not an array: " + StrictJson.describe(p));
        }
        readNumber(p, number, at + "[0] (price)");
        if (number.negative() || number.unscaled() == 0) {
            throw StrictJson.malformed(
                    EX, at + "[0] (price) is not positive: " + StrictJson.describe(p));
        }
        String price = JsNumbers.plain(number.unscaled(), number.scale());
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            throw StrictJson.malformed(
                    EX, at + "[1] (count) is not an integer: " + StrictJson.describe(p));
        }
        if (p.getLongValue() <= 0) {
            throw StrictJson.malformed(
                    EX, at + "[1] (count) is not positive: " + StrictJson.describe(p));
        }
        readNumber(p, number, at + "[2] (amount)");
        if (number.unscaled() == 0) {
            throw StrictJson.malformed(EX, at + "[2] (amount) is zero: neither a bid nor an ask");
        }
        (number.negative() ? asks : bids)
                .add(price, JsNumbers.plain(number.unscaled(), number.scale()));
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw StrictJson.malformed(EX, at + " has more than 3 elements");
        }
    }

    private static void readNumber(JsonParser p, JsNumbers number, String at)
            throws IOException, BookParseException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            throw StrictJson.malformed(EX, at + " is missing");
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw StrictJson.malformed(EX, at + " is not a number: " + StrictJson.describe(p));
        }
        String problem = number.read(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (problem != null) {
            throw StrictJson.malformed(EX, at + " " + problem + ": " + StrictJson.describe(p));
        }
    }

    /**
     * {@code CODE MESSAGE} of an {@code ["error", CODE, "MESSAGE"]} body, or null when it is not
     * one.
     */
    static String errorText(String payload) {
        try (JsonParser p = StrictJson.open(payload)) {
            if (p.nextToken() != JsonToken.START_ARRAY
                    || p.nextToken() != JsonToken.VALUE_STRING
                    || !"error".equals(p.getText())) {
                return null;
            }
            String code = p.nextToken() == JsonToken.VALUE_NUMBER_INT ? p.getText() : null;
            String message = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
            if (code == null && message == null) {
                return "error";
            }
            return (message == null ? "" : message) + (code == null ? "" : " (code " + code + ")");
        } catch (IOException e) {
            return null;
        }
    }
}
