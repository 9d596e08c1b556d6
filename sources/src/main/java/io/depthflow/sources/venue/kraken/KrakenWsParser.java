package io.depthflow.sources.venue.kraken;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.markets.NameCache;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.StrictJson;
import io.depthflow.sources.ws.ExactNumbers;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Parses Kraken WebSocket v2 messages (wss://ws.kraken.com/v2, exchanges.md §5) into a {@link
 * StreamMessage}:
 *
 * <ul>
 *   <li>{@code {"channel":"book","type":"snapshot"|"update","data":[{"symbol":"BTC/USD",
 *       "bids":[{"price":..,"qty":..}],"asks":[..],"checksum":N,"timestamp":".."}]}} → {@link
 *       Type#BOOK_SNAPSHOT} / {@link Type#BOOK_UPDATE}. {@code price} and {@code qty} may be JSON
 *       numbers (the book page) or strings (the checksum guide): both are read from their literal
 *       text ({@link ExactNumbers}), trailing zeros included, since those digits are the checksum's
 *       input. {@code qty} 0 removes a level. Levels keep wire order: "updates should always be
 *       processed in sequence".
 *   <li>{@code {"method":"subscribe"|"unsubscribe","result":{"channel":"book","symbol":..,
 *       "depth":10},"success":true}} → {@link Type#SUBSCRIBED} / {@link Type#UNSUBSCRIBED} with the
 *       symbol and depth; {@code "success":false} → {@link Type#ERROR} with Kraken's {@code error}
 *       text.
 *   <li>{@code {"channel":"heartbeat"}} and the {@code status} channel → {@link Type#HEARTBEAT};
 *       {@code {"method":"pong"}} → {@link Type#PONG}; other channels and acks → {@link
 *       Type#OTHER}.
 * </ul>
 *
 * <p>v2 symbols are canonical market names ({@code BTC/USD}; "the v2 API uses BTC instead of XBT").
 * Anything not of the documented shape is a malformed {@link BookParseException}. Field order does
 * not matter. One instance per thread; the message instance is reused.
 */
@PublicEvolving
public final class KrakenWsParser {

    private static final String EX = KrakenVenue.NAME;

    private final ExactNumbers number = new ExactNumbers();

    private final NameCache canonical = new NameCache(Markets::validate);

    public void parse(String payload, StreamMessage into) throws BookParseException {
        into.reset();
        String channel = null;
        String kind = null;
        String method = null;
        String resultChannel = null;
        String resultSymbol = null;
        String symbol = null;
        String error = null;
        Boolean success = null;
        int dataItems = -1;
        int seen = 0;
        try (JsonParser p = StrictJson.openCheckingKeysYourself(payload)) {
            StrictJson.expectRootObject(p, EX);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "channel":
                        seen = StrictJson.once(seen, 1, EX, null, -1, field);
                        channel = text(p, field);
                        break;
                    case "type":
                        seen = StrictJson.once(seen, 2, EX, null, -1, field);
                        kind = text(p, field);
                        break;
                    case "method":
                        seen = StrictJson.once(seen, 4, EX, null, -1, field);
                        method = text(p, field);
                        break;
                    case "symbol":
                        seen = StrictJson.once(seen, 8, EX, null, -1, field);
                        symbol = text(p, field);
                        break;
                    case "error":
                        seen = StrictJson.once(seen, 16, EX, null, -1, field);
                        error =
                                value == JsonToken.VALUE_STRING
                                        ? p.getText()
                                        : StrictJson.describe(p);
                        p.skipChildren();
                        break;
                    case "success":
                        seen = StrictJson.once(seen, 32, EX, null, -1, field);
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                            throw StrictJson.malformed(
                                    EX, "success is not a boolean: " + StrictJson.describe(p));
                        }
                        success = value == JsonToken.VALUE_TRUE;
                        break;
                    case "result":
                        seen = StrictJson.once(seen, 64, EX, null, -1, field);
                        if (value != JsonToken.START_OBJECT) {
                            throw StrictJson.malformed(
                                    EX, "result is not an object: " + StrictJson.describe(p));
                        }
                        int seenInResult = 0;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if ("channel".equals(f)) {
                                seenInResult =
                                        StrictJson.once(seenInResult, 1, EX, "result", -1, f);
                                resultChannel = text(p, "result.channel");
                            } else if ("symbol".equals(f)) {
                                seenInResult =
                                        StrictJson.once(seenInResult, 2, EX, "result", -1, f);
                                resultSymbol = text(p, "result.symbol");
                            } else if ("depth".equals(f)) {
                                seenInResult =
                                        StrictJson.once(seenInResult, 4, EX, "result", -1, f);
                                if (v != JsonToken.VALUE_NUMBER_INT) {
                                    throw StrictJson.malformed(
                                            EX,
                                            "result.depth is not an integer: "
                                                    + StrictJson.describe(p));
                                }
                                into.depth = p.getIntValue();
                            } else {
                                p.skipChildren();
                            }
                        }
                        break;
                    case "data":
                        seen = StrictJson.once(seen, 128, EX, null, -1, field);
                        dataItems = readData(p, into);
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

        if (method != null) {
            String market = resultSymbol != null ? resultSymbol : symbol;
            if (market != null) {
                into.markets.clear();
                into.markets.add(market(market, "symbol"));
            }
            if (Boolean.FALSE.equals(success)) {
                into.type = Type.ERROR;
                into.error = method + " failed: " + (error == null ? "no error text" : error);
            } else if ("pong".equals(method)) {
                into.type = Type.PONG;
            } else if (("subscribe".equals(method) || "unsubscribe".equals(method))
                    && "book".equals(resultChannel)) {
                if (into.market() == null) {
                    throw StrictJson.malformed(EX, method + " ack without result.symbol");
                }
                into.type = "subscribe".equals(method) ? Type.SUBSCRIBED : Type.UNSUBSCRIBED;
            } else {
                into.type = Type.OTHER;
            }
            into.levelCount = 0;
            return;
        }
        if (channel == null) {
            throw StrictJson.malformed(EX, "neither 'channel' nor 'method'");
        }
        switch (channel) {
            case "book":
                if ("snapshot".equals(kind)) {
                    into.type = Type.BOOK_SNAPSHOT;
                } else if ("update".equals(kind)) {
                    into.type = Type.BOOK_UPDATE;
                } else {
                    throw StrictJson.malformed(
                            EX, "book message of type '" + kind + "', expected snapshot or update");
                }
                if (dataItems != 1 || into.market() == null) {
                    throw StrictJson.malformed(
                            EX,
                            "book message must carry exactly one data item with a symbol, got "
                                    + Math.max(dataItems, 0));
                }
                break;
            case "heartbeat":
            case "status":
                into.type = Type.HEARTBEAT;
                into.markets.clear();
                into.levelCount = 0;
                break;
            default:
                into.type = Type.OTHER;
                into.markets.clear();
                into.levelCount = 0;
        }
    }

    /** Reads the {@code data} array; returns the number of items. */
    private int readData(JsonParser p, StreamMessage into) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw StrictJson.malformed(EX, "data is not an array: " + StrictJson.describe(p));
        }
        int items = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw StrictJson.malformed(
                        EX, "data[" + items + "] is not an object: " + StrictJson.describe(p));
            }
            int seen = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "symbol":
                        seen = StrictJson.once(seen, 1, EX, "data", items, field);
                        into.addMarket(market(text(p, "data.symbol"), "data.symbol"));
                        break;
                    case "bids":
                        seen = StrictJson.once(seen, 2, EX, "data", items, field);
                        readLevels(p, into, true);
                        break;
                    case "asks":
                        seen = StrictJson.once(seen, 4, EX, "data", items, field);
                        readLevels(p, into, false);
                        break;
                    case "checksum":
                        seen = StrictJson.once(seen, 8, EX, "data", items, field);
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw StrictJson.malformed(
                                    EX, "checksum is not an integer: " + StrictJson.describe(p));
                        }
                        long c = p.getLongValue();
                        if (c < 0 || c > 0xFFFF_FFFFL) {
                            throw StrictJson.malformed(
                                    EX, "checksum is not an unsigned 32-bit integer: " + c);
                        }
                        into.checksum = c;
                        break;
                    default:
                        p.skipChildren();
                }
            }
            items++;
        }
        return items;
    }

    private void readLevels(JsonParser p, StreamMessage into, boolean bid)
            throws IOException, BookParseException {
        String side = bid ? "bids" : "asks";
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw StrictJson.malformed(EX, side + " is not an array: " + StrictJson.describe(p));
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw StrictJson.malformed(
                        EX, side + "[" + i + "] is not an object: " + StrictJson.describe(p));
            }
            long price = -1;
            int priceScale = 0;
            long qty = -1;
            int qtyScale = 0;
            int seen = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("price".equals(field)) {
                    seen = StrictJson.once(seen, 1, EX, side, i, field);
                    number.read(p, EX, side, i, "price");
                    price = number.unscaled();
                    priceScale = number.scale();
                } else if ("qty".equals(field)) {
                    seen = StrictJson.once(seen, 2, EX, side, i, field);
                    number.read(p, EX, side, i, "qty");
                    qty = number.unscaled();
                    qtyScale = number.scale();
                } else {
                    p.skipChildren();
                }
            }
            if (price < 0 || qty < 0) {
                throw StrictJson.malformed(
                        EX, side + "[" + i + "] lacks " + (price < 0 ? "price" : "qty"));
            }
            if (price == 0) {
                throw StrictJson.malformed(EX, side + "[" + i + "].price is zero");
            }
            into.addLevel(bid, price, priceScale, qty, qtyScale);
            i++;
        }
    }

    private static String text(JsonParser p, String field) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw StrictJson.malformed(EX, field + " is not a string: " + StrictJson.describe(p));
        }
        return p.getText();
    }

    private String market(String symbol, String field) throws BookParseException {
        try {
            return canonical.of(symbol);
        } catch (IllegalArgumentException e) {
            throw StrictJson.malformed(EX, field + " '" + symbol + "' is not a BASE/QUOTE symbol");
        }
    }
}
