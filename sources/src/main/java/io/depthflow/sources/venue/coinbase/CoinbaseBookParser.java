package io.depthflow.sources.venue.coinbase;

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
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Parses the body of Coinbase Exchange {@code GET /products/{product_id}/book?level=2}:
 *
 * <pre>{@code
 * {"sequence": 13051505638, "bids": [["6247.58","6.3578146",2]], "asks": [["6251.52","2",1]],
 *  "time": "2021-02-12T01:09:23.334Z"}
 * }</pre>
 *
 * <p>Each level is exactly {@code [price, size, num_orders]}: two decimal strings and an integer.
 * {@code sequence} (JSON integer) becomes {@link OrderBookSnapshot#sequence}; {@code time} (ISO
 * 8601, milliseconds or microseconds) becomes {@link OrderBookSnapshot#exchangeTime} in epoch ms,
 * truncated; both are 0 when absent. Other fields (the auction fields) are skipped.
 *
 * <p>Errors: a status other than 200 is {@link IngestError#HTTP} with the status and, when the body
 * is Coinbase's {@code {"message": "..."}}, its text ({@code coinbase: HTTP 404: NotFound}). A 200
 * body that carries only a {@code message} is {@link IngestError#EXCHANGE}. Everything else follows
 * {@link BookNormalizer}.
 */
@PublicEvolving
public final class CoinbaseBookParser {

    private static final String EX = CoinbaseVenue.NAME;

    private CoinbaseBookParser() {}

    public static OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        if (raw.httpStatus != 200) {
            String message = errorMessage(raw.payload);
            throw new BookParseException(
                    IngestError.HTTP,
                    EX + ": HTTP " + raw.httpStatus + (message == null ? "" : ": " + message));
        }
        RawLevels bids = new RawLevels();
        RawLevels asks = new RawLevels();
        long sequence = 0;
        long time = 0;
        String message = null;
        try (JsonParser p = StrictJson.open(raw.payload)) {
            StrictJson.expectRootObject(p, EX);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "sequence":
                        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                            throw StrictJson.malformed(
                                    EX, "sequence is not an integer: " + StrictJson.describe(p));
                        }
                        sequence = p.getLongValue();
                        break;
                    case "time":
                        time = parseTime(p);
                        break;
                    case "bids":
                        bids.markPresent();
                        StrictJson.readLevels(p, EX, "bids", "num_orders", bids);
                        break;
                    case "asks":
                        asks.markPresent();
                        StrictJson.readLevels(p, EX, "asks", "num_orders", asks);
                        break;
                    case "message":
                        message =
                                p.currentToken() == JsonToken.VALUE_STRING
                                        ? p.getText()
                                        : StrictJson.describe(p);
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
        if (!bids.isPresent() && !asks.isPresent() && message != null) {
            throw new BookParseException(IngestError.EXCHANGE, EX + ": " + message);
        }
        if (!bids.isPresent() || !asks.isPresent()) {
            throw StrictJson.malformed(
                    EX, "missing '" + (bids.isPresent() ? "asks" : "bids") + "'");
        }
        return BookNormalizer.normalize(EX, raw.market, raw.receivedAt, time, sequence, bids, asks);
    }

    private static long parseTime(JsonParser p) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw StrictJson.malformed(EX, "time is not a string: " + StrictJson.describe(p));
        }
        try {
            return Instant.parse(p.getText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw StrictJson.malformed(
                    EX, "time is not an ISO 8601 instant: " + StrictJson.describe(p));
        }
    }

    /** The {@code message} of an error body, or null when the body is not one. */
    private static String errorMessage(String payload) {
        try (JsonParser p = StrictJson.open(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_STRING && "message".equals(field)) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
