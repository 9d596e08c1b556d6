package io.depthflow.sources.venue.kraken;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.markets.Markets;
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

    private static final int CHANNEL = 0;
    private static final int TYPE = 1;
    private static final int METHOD = 2;
    private static final int SYMBOL = 3;
    private static final int ERROR = 4;
    private static final int SUCCESS = 5;
    private static final int RESULT = 6;
    private static final int DATA = 7;
    private final StrictObject envelope =
            new StrictObject(
                    EX, "channel", "type", "method", "symbol", "error", "success", "result",
                    "data");

    private static final int RESULT_CHANNEL = 0;
    private static final int RESULT_SYMBOL = 1;
    private final StrictObject result = new StrictObject(EX, "channel", "symbol", "depth");

    private static final int ITEM_SYMBOL = 0;
    private static final int BIDS = 1;
    private static final int ASKS = 2;
    private static final int CHECKSUM = 3;
    private final StrictObject item = new StrictObject(EX, "symbol", "bids", "asks", "checksum");

    private static final int PRICE = 0;
    private final StrictObject level = new StrictObject(EX, "price", "qty");

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
        try (JsonParser p = StrictJson.openCheckingKeysYourself(payload)) {
            StrictJson.expectRootObject(p, EX);
            envelope.begin(null, -1);
            for (int key; (key = envelope.next(p)) != StrictObject.END; ) {
                JsonToken value = p.currentToken();
                switch (key) {
                    case CHANNEL:
                        channel = text(p, "channel");
                        break;
                    case TYPE:
                        kind = text(p, "type");
                        break;
                    case METHOD:
                        method = text(p, "method");
                        break;
                    case SYMBOL:
                        symbol = text(p, "symbol");
                        break;
                    case ERROR:
                        error =
                                value == JsonToken.VALUE_STRING
                                        ? p.getText()
                                        : StrictJson.describe(p);
                        p.skipChildren();
                        break;
                    case SUCCESS:
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                            throw StrictJson.malformed(
                                    EX, "success is not a boolean: " + StrictJson.describe(p));
                        }
                        success = value == JsonToken.VALUE_TRUE;
                        break;
                    case RESULT:
                        if (value != JsonToken.START_OBJECT) {
                            throw StrictJson.malformed(
                                    EX, "result is not an object: " + StrictJson.describe(p));
                        }
                        result.begin("result", -1);
                        for (int r; (r = result.next(p)) != StrictObject.END; ) {
                            if (r == RESULT_CHANNEL) {
                                resultChannel = text(p, "result.channel");
                            } else if (r == RESULT_SYMBOL) {
                                resultSymbol = text(p, "result.symbol");
                            } else {
                                if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                                    throw StrictJson.malformed(
                                            EX,
                                            "result.depth is not an integer: "
                                                    + StrictJson.describe(p));
                                }
                                into.depth = p.getIntValue();
                            }
                        }
                        break;
                    case DATA:
                        dataItems = readData(p, into);
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
            item.begin("data", items);
            for (int key; (key = item.next(p)) != StrictObject.END; ) {
                switch (key) {
                    case ITEM_SYMBOL:
                        into.addMarket(market(text(p, "data.symbol"), "data.symbol"));
                        break;
                    case BIDS:
                        readLevels(p, into, true);
                        break;
                    case ASKS:
                        readLevels(p, into, false);
                        break;
                    case CHECKSUM:
                        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
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
                        throw new IllegalStateException();
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
            level.begin(side, i);
            for (int key; (key = level.next(p)) != StrictObject.END; ) {
                if (key == PRICE) {
                    number.read(p, EX, side, i, "price");
                    price = number.unscaled();
                    priceScale = number.scale();
                } else {
                    number.read(p, EX, side, i, "qty");
                    qty = number.unscaled();
                    qtyScale = number.scale();
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
