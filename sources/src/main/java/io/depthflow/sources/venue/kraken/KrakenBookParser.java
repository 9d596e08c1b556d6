package io.depthflow.sources.venue.kraken;

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
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the body of Kraken {@code GET /0/public/Depth?pair=XBTUSD&count=500}:
 *
 * <pre>{@code
 * {"error":[],"result":{"XXBTZUSD":{"asks":[["30384.10000","2.059",1688671659]],"bids":[...]}}}
 * }</pre>
 *
 * <p>The result is keyed by Kraken's own pair name ({@code XXBTZUSD}), not the requested {@code
 * XBTUSD}. It must hold exactly one pair, and that pair must be the message's market (one of {@link
 * KrakenSymbols#resultPairs}): a book of {@code XXBTZUSD} in a message for {@code ETH/USD} is
 * {@link IngestError#MALFORMED} naming both, never ETH's book. More or fewer pairs are {@link
 * IngestError#MALFORMED} too. Each level is exactly {@code [price, volume, timestamp]}: two decimal
 * strings and an integer (Unix seconds of the level's last change). The payload has no book-wide
 * timestamp or sequence, so {@link OrderBookSnapshot#exchangeTime} and {@link
 * OrderBookSnapshot#sequence} are 0.
 *
 * <p>Errors: Kraken reports failures in the {@code error} array with HTTP 200 ("Every response
 * includes an error array — if non-empty, the request failed"); a non-empty array is {@link
 * IngestError#EXCHANGE} with the exchange's text ({@code kraken: EQuery:Unknown asset pair}). A
 * status other than 200 (a proxy or Cloudflare answering) is {@link IngestError#HTTP}. Everything
 * else follows {@link BookNormalizer}.
 */
@PublicEvolving
public final class KrakenBookParser {

    private static final String EX = KrakenVenue.NAME;

    private KrakenBookParser() {}

    public static OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        if (raw.httpStatus != 200) {
            List<String> errors = errorsOf(raw.payload);
            throw new BookParseException(
                    IngestError.HTTP,
                    EX
                            + ": HTTP "
                            + raw.httpStatus
                            + (errors.isEmpty() ? "" : ": " + String.join("; ", errors)));
        }
        RawLevels bids = new RawLevels();
        RawLevels asks = new RawLevels();
        List<String> errors = null;
        boolean hasResult = false;
        try (JsonParser p = StrictJson.open(raw.payload)) {
            StrictJson.expectRootObject(p, EX);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("error".equals(field)) {
                    errors = readErrors(p);
                } else if ("result".equals(field)) {
                    hasResult = true;
                    readResult(p, raw.market, bids, asks);
                } else {
                    p.skipChildren();
                }
            }
            StrictJson.expectEndOfInput(p, EX);
        } catch (JsonProcessingException e) {
            throw StrictJson.invalidJson(EX, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (errors == null) {
            throw StrictJson.malformed(EX, "missing 'error'");
        }
        if (!errors.isEmpty()) {
            throw new BookParseException(
                    IngestError.EXCHANGE, EX + ": " + String.join("; ", errors));
        }
        if (!hasResult) {
            throw StrictJson.malformed(EX, "missing 'result'");
        }
        if (!bids.isPresent() || !asks.isPresent()) {
            throw StrictJson.malformed(
                    EX, "missing 'result.<pair>." + (bids.isPresent() ? "asks" : "bids") + "'");
        }
        return BookNormalizer.normalize(EX, raw.market, raw.receivedAt, 0L, 0L, bids, asks);
    }

    private static List<String> readErrors(JsonParser p) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw StrictJson.malformed(EX, "error is not an array: " + StrictJson.describe(p));
        }
        List<String> errors = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw StrictJson.malformed(
                        EX,
                        "error[" + errors.size() + "] is not a string: " + StrictJson.describe(p));
            }
            errors.add(p.getText());
        }
        return errors;
    }

    private static void readResult(JsonParser p, String market, RawLevels bids, RawLevels asks)
            throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw StrictJson.malformed(EX, "result is not an object: " + StrictJson.describe(p));
        }
        List<String> pairs = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            pairs.add(p.currentName());
            if (pairs.size() > 1) {
                throw StrictJson.malformed(EX, "result holds more than one pair: " + pairs);
            }
            String mismatch = pairMismatch(market, pairs.get(0));
            if (mismatch != null) {
                throw StrictJson.malformed(EX, mismatch);
            }
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw StrictJson.malformed(
                        EX,
                        "result." + pairs.get(0) + " is not an object: " + StrictJson.describe(p));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("bids".equals(field)) {
                    bids.markPresent();
                    StrictJson.readLevels(p, EX, "bids", "timestamp", bids);
                } else if ("asks".equals(field)) {
                    asks.markPresent();
                    StrictJson.readLevels(p, EX, "asks", "timestamp", asks);
                } else {
                    p.skipChildren();
                }
            }
        }
        if (pairs.isEmpty()) {
            throw StrictJson.malformed(EX, "result holds no pair");
        }
    }

    /**
     * Why {@code pair}, the key of a response's result, is not a book of {@code market}; null when
     * it is.
     */
    public static String pairMismatch(String market, String pair) {
        List<String> expected;
        try {
            expected = KrakenSymbols.resultPairs(market);
        } catch (IllegalArgumentException e) {
            return "result pair "
                    + pair
                    + " for a message whose market is not canonical: "
                    + e.getMessage();
        }
        if (expected.contains(pair)) {
            return null;
        }
        return "result pair "
                + pair
                + " is not the book of the message's market "
                + market
                + " (expected "
                + String.join(" or ", expected)
                + ")";
    }

    /**
     * The single pair name of a response's {@code result} object, or null when the body is not such
     * a response (not JSON, an error, no result, several pairs): the parser says what is wrong with
     * those. Reads the body without building it.
     */
    public static String resultPair(String payload) {
        String pair = null;
        try (JsonParser p = StrictJson.open(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("result".equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        if (pair != null) {
                            return null;
                        }
                        pair = p.currentName();
                        p.nextToken();
                        p.skipChildren();
                    }
                    return pair;
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The strings of the {@code error} array of a body, empty when there are none or no JSON. */
    private static List<String> errorsOf(String payload) {
        List<String> errors = new ArrayList<>();
        try (JsonParser p = StrictJson.open(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return errors;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.START_ARRAY && "error".equals(field)) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        errors.add(p.getText());
                    }
                    return errors;
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            // Not JSON (an HTML error page): the status alone is the message.
        }
        return errors;
    }
}
