package io.depthflow.sources.venue.gemini;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.markets.NameCache;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.StrictJson;
import io.depthflow.sources.parse.StrictObject;
import io.depthflow.sources.ws.ExactNumbers;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Parses the messages of one Gemini market data v2 connection ({@code
 * wss://api.gemini.com/v2/marketdata}, {@code l2} feed) into a {@link StreamMessage}:
 *
 * <ul>
 *   <li>{@code {"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","9122.04","0.00121425"],
 *       ...],"trades":[..],"auction_events":[..]}}: the initial message of a subscription, the
 *       whole book → {@link Type#BOOK_SNAPSHOT}; later ones → {@link Type#BOOK_UPDATE}. A change is
 *       {@code [side, price, quantity]}, side {@code buy} (bid) or {@code sell} (ask), quantity the
 *       level's new total, {@code "0"} removes it. The initial message is the one that carries
 *       {@code trades} ("The initial response will show the existing state of the order books and
 *       last 50 trades"; in the real recording the six initial messages have it and none of the 276
 *       later ones). Deciding by that field rather than by "the first message seen" keeps the
 *       parser stateless: it decodes any message correctly without having seen the connection's
 *       start (a job restored mid-stream), and after a resubscription the new book is recognised
 *       whatever updates were still in flight.
 *   <li>{@code heartbeat} → {@link Type#HEARTBEAT}; {@code trade} and auction messages → {@link
 *       Type#OTHER} (with their market); {@code {"result":"error",...}} or {@code "type":"error"} →
 *       {@link Type#ERROR} with its reason and message.
 * </ul>
 *
 * Prices and quantities are read from their text ({@link ExactNumbers}), never through {@code
 * double}. Stateless across messages; one instance per thread (it reuses its number reader).
 */
@PublicEvolving
public final class GeminiWsParser {

    private static final String EX = Gemini.NAME;

    private final ExactNumbers number = new ExactNumbers();
    private final NameCache canonical = new NameCache(GeminiSymbols::market);

    /**
     * @param market keep only this market's levels: another market's book message comes out as
     *     {@link Type#OTHER} without levels; null keeps all
     */
    public void parse(String payload, String market, StreamMessage into) throws BookParseException {
        parse(payload, into);
        if (market != null && into.isBook() && !market.equals(into.market())) {
            into.levelCount = 0;
            into.type = Type.OTHER;
        }
    }

    private static final int TYPE = 0;
    private static final int SYMBOL = 1;
    private static final int CHANGES = 2;
    private static final int TRADES = 3;
    private static final int RESULT = 4;
    private static final int REASON = 5;
    private static final int MESSAGE = 6;
    private final StrictObject envelope =
            new StrictObject(
                    EX, "type", "symbol", "changes", "trades", "result", "reason", "message");

    public void parse(String payload, StreamMessage into) throws BookParseException {
        into.reset();
        String type = null;
        String symbol = null;
        String result = null;
        String reason = null;
        String message = null;
        boolean hasChanges = false;
        boolean hasTrades = false;
        try (JsonParser p = StrictJson.openCheckingKeysYourself(payload)) {
            StrictJson.expectRootObject(p, EX);
            envelope.begin(null, -1);
            for (int key; (key = envelope.next(p)) != StrictObject.END; ) {
                JsonToken v = p.currentToken();
                switch (key) {
                    case TYPE:
                        type = text(p, "type");
                        break;
                    case SYMBOL:
                        symbol = text(p, "symbol");
                        break;
                    case CHANGES:
                        hasChanges = true;
                        readChanges(p, into);
                        break;
                    case TRADES:
                        hasTrades = v == JsonToken.START_ARRAY;
                        p.skipChildren();
                        break;
                    case RESULT:
                        result = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        p.skipChildren();
                        break;
                    case REASON:
                        reason = v == JsonToken.VALUE_STRING ? p.getText() : StrictJson.describe(p);
                        p.skipChildren();
                        break;
                    case MESSAGE:
                        message =
                                v == JsonToken.VALUE_STRING ? p.getText() : StrictJson.describe(p);
                        p.skipChildren();
                        break;
                    default:
                        throw new IllegalStateException();
                }
            }
            StrictJson.expectEndOfInput(p, EX);
        } catch (JsonProcessingException e) {
            throw StrictJson.invalidJson(EX, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if ("error".equals(result) || "error".equals(type)) {
            into.type = Type.ERROR;
            into.levelCount = 0;
            into.error =
                    reason == null && message == null
                            ? "error"
                            : reason == null
                                    ? message
                                    : message == null ? reason : reason + ": " + message;
            addMarketQuietly(symbol, into);
            return;
        }
        if (type == null) {
            throw StrictJson.malformed(EX, "object without 'type'");
        }
        switch (type) {
            case "l2_updates":
                if (symbol == null || !hasChanges) {
                    throw StrictJson.malformed(
                            EX,
                            "l2_updates without " + (symbol == null ? "'symbol'" : "'changes'"));
                }
                into.addMarket(market(symbol));
                into.type = hasTrades ? Type.BOOK_SNAPSHOT : Type.BOOK_UPDATE;
                return;
            case "heartbeat":
                into.type = Type.HEARTBEAT;
                break;
            default:
                into.type = Type.OTHER;
                addMarketQuietly(symbol, into);
        }
        into.levelCount = 0;
    }

    private void readChanges(JsonParser p, StreamMessage into)
            throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw StrictJson.malformed(EX, "changes is not an array: " + StrictJson.describe(p));
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String at = "changes[" + i + "]";
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw StrictJson.malformed(EX, at + " is not an array: " + StrictJson.describe(p));
            }
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw StrictJson.malformed(
                        EX, at + "[0] (side) is not a string: " + StrictJson.describe(p));
            }
            boolean bid;
            String side = p.getText();
            if ("buy".equals(side)) {
                bid = true;
            } else if ("sell".equals(side)) {
                bid = false;
            } else {
                throw StrictJson.malformed(
                        EX, at + "[0] (side) '" + side + "' is neither buy nor sell");
            }
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw StrictJson.malformed(
                        EX, at + "[1] (price) is not a decimal string: " + StrictJson.describe(p));
            }
            number.read(p, EX, at + "[1] (price)", -1, null);
            long price = number.unscaled();
            int priceScale = number.scale();
            if (price == 0) {
                throw StrictJson.malformed(EX, at + "[1] (price) is zero");
            }
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw StrictJson.malformed(
                        EX,
                        at + "[2] (quantity) is not a decimal string: " + StrictJson.describe(p));
            }
            number.read(p, EX, at + "[2] (quantity)", -1, null);
            into.addLevel(bid, price, priceScale, number.unscaled(), number.scale());
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw StrictJson.malformed(EX, at + " has more than 3 elements");
            }
            i++;
        }
    }

    private String market(String symbol) throws BookParseException {
        try {
            return canonical.of(symbol);
        } catch (IllegalArgumentException e) {
            throw StrictJson.malformed(
                    EX, "symbol '" + symbol + "' does not end in a known quote currency");
        }
    }

    private void addMarketQuietly(String symbol, StreamMessage into) {
        if (symbol != null) {
            try {
                into.addMarket(canonical.of(symbol));
            } catch (IllegalArgumentException e) {
                // a symbol we cannot name: the message stays connection-level
            }
        }
    }

    private static String text(JsonParser p, String field) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw StrictJson.malformed(EX, field + " is not a string: " + StrictJson.describe(p));
        }
        return p.getText();
    }
}
