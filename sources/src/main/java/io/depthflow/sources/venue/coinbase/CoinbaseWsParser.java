package io.depthflow.sources.venue.coinbase;

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
 * Parses Coinbase Advanced Trade WebSocket messages (wss://advanced-trade-ws.coinbase.com,
 * exchanges.md §3) into a {@link StreamMessage}:
 *
 * <ul>
 *   <li>{@code {"channel":"l2_data","timestamp":"..","sequence_num":7,"events":[{"type":
 *       "snapshot"|"update","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"..",
 *       "price_level":"21921.73","new_quantity":"0.06317902"}]}]}} → {@link Type#BOOK_SNAPSHOT}
 *       when an event for the market is a snapshot (earlier events are superseded), else {@link
 *       Type#BOOK_UPDATE}. {@code new_quantity} is the level's new size, "0" removes it. The ask
 *       side is not shown in the docs: {@code offer} (what the live feed is reported to send) and
 *       {@code ask} are both accepted.
 *   <li>{@code heartbeats} → {@link Type#HEARTBEAT}; {@code subscriptions} → {@link
 *       Type#SUBSCRIBED} (connection-level: no market); {@code {"type":"error","message":".."}} →
 *       {@link Type#ERROR}; other channels → {@link Type#OTHER}.
 * </ul>
 *
 * <p>Every envelope's {@code sequence_num} is kept in {@link StreamMessage#sequence}, whatever the
 * channel: it counts the messages of the connection ({@link CoinbaseSequence}). Prices and sizes
 * are read from their literal text (strings; numbers are accepted too), never through {@code
 * double}. When {@code market} is given, only that market's events contribute levels; {@link
 * StreamMessage#markets} always lists every product of the message. One instance per thread.
 */
@PublicEvolving
public final class CoinbaseWsParser {

    private static final String EX = CoinbaseVenue.NAME;

    private final ExactNumbers number = new ExactNumbers();

    private final NameCache canonical = new NameCache(CoinbaseSymbols::market);

    private static final int CHANNEL = 0;
    private static final int TYPE = 1;
    private static final int MESSAGE = 2;
    private static final int SEQUENCE_NUM = 3;
    private static final int EVENTS = 4;
    private final StrictObject envelope =
            new StrictObject(EX, "channel", "type", "message", "sequence_num", "events");

    private static final int EVENT_TYPE = 0;
    private static final int PRODUCT_ID = 1;
    private static final int UPDATES = 2;
    private final StrictObject event = new StrictObject(EX, "type", "product_id", "updates");

    private static final int SIDE = 0;
    private static final int PRICE_LEVEL = 1;
    private static final int NEW_QUANTITY = 2;
    private final StrictObject update = new StrictObject(EX, "side", "price_level", "new_quantity");

    /**
     * @param market the canonical market whose levels to collect, or null for all (meaningful only
     *     when the message concerns one market)
     */
    public void parse(String payload, String market, StreamMessage into) throws BookParseException {
        into.reset();
        String channel = null;
        String type = null;
        String message = null;
        boolean snapshot = false;
        boolean hasEvents = false;
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
                        type = text(p, "type");
                        break;
                    case MESSAGE:
                        message =
                                value == JsonToken.VALUE_STRING
                                        ? p.getText()
                                        : StrictJson.describe(p);
                        p.skipChildren();
                        break;
                    case SEQUENCE_NUM:
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw StrictJson.malformed(
                                    EX,
                                    "sequence_num is not an integer: " + StrictJson.describe(p));
                        }
                        into.sequence = p.getLongValue();
                        if (into.sequence < 0) {
                            throw StrictJson.malformed(
                                    EX, "sequence_num is negative: " + into.sequence);
                        }
                        break;
                    case EVENTS:
                        hasEvents = true;
                        snapshot = readEvents(p, market, into);
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
        if ("error".equals(type)) {
            into.type = Type.ERROR;
            into.error = message == null ? "error without message" : message;
            into.levelCount = 0;
            return;
        }
        if (channel == null) {
            throw StrictJson.malformed(EX, "neither 'channel' nor an error 'type'");
        }
        switch (channel) {
            case "l2_data":
                if (!hasEvents) {
                    throw StrictJson.malformed(EX, "l2_data without 'events'");
                }
                into.type = snapshot ? Type.BOOK_SNAPSHOT : Type.BOOK_UPDATE;
                break;
            case "heartbeats":
                into.type = Type.HEARTBEAT;
                break;
            case "subscriptions":
                into.type = Type.SUBSCRIBED;
                break;
            default:
                into.type = Type.OTHER;
        }
        if (into.type != Type.BOOK_SNAPSHOT && into.type != Type.BOOK_UPDATE) {
            into.markets.clear();
            into.levelCount = 0;
        }
    }

    /**
     * The envelope's {@code sequence_num} without parsing the events (the documented envelope puts
     * it before them), or -1 when the message has none or is not a JSON object.
     */
    public static long peekSequence(String payload) {
        try (JsonParser p = StrictJson.openCheckingKeysYourself(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("sequence_num".equals(field)) {
                    return value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                }
                p.skipChildren();
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Reads {@code events}; returns whether an event for the market was a snapshot. */
    private boolean readEvents(JsonParser p, String market, StreamMessage into)
            throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw StrictJson.malformed(EX, "events is not an array: " + StrictJson.describe(p));
        }
        boolean snapshot = false;
        int e = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw StrictJson.malformed(
                        EX, "events[" + e + "] is not an object: " + StrictJson.describe(p));
            }
            int start = into.levelCount;
            String eventType = null;
            String product = null;
            boolean hasUpdates = false;
            event.begin("events", e);
            for (int key; (key = event.next(p)) != StrictObject.END; ) {
                switch (key) {
                    case EVENT_TYPE:
                        eventType = text(p, "events", e, "type");
                        break;
                    case PRODUCT_ID:
                        product = text(p, "events", e, "product_id");
                        break;
                    case UPDATES:
                        hasUpdates = true;
                        readUpdates(p, e, into);
                        break;
                    default:
                        throw new IllegalStateException();
                }
            }
            if (!hasUpdates) {
                // heartbeats and subscriptions events carry other fields
                e++;
                continue;
            }
            if (product == null) {
                throw StrictJson.malformed(EX, "events[" + e + "] has updates but no product_id");
            }
            String eventMarket;
            try {
                eventMarket = canonical.of(product);
            } catch (IllegalArgumentException ex) {
                throw StrictJson.malformed(
                        EX, "events[" + e + "].product_id '" + product + "' is not BASE-QUOTE");
            }
            into.addMarket(eventMarket);
            if (!"snapshot".equals(eventType) && !"update".equals(eventType)) {
                throw StrictJson.malformed(
                        EX,
                        "events[" + e + "].type '" + eventType + "', expected snapshot or update");
            }
            if (market != null && !market.equals(eventMarket)) {
                into.truncateLevels(start);
            } else if ("snapshot".equals(eventType)) {
                snapshot = true;
                into.keepLevelsFrom(start);
            }
            e++;
        }
        return snapshot;
    }

    private void readUpdates(JsonParser p, int e, StreamMessage into)
            throws IOException, BookParseException {
        String at = "events[" + e + "].updates";
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw StrictJson.malformed(EX, at + " is not an array: " + StrictJson.describe(p));
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw StrictJson.malformed(
                        EX, at + "[" + i + "] is not an object: " + StrictJson.describe(p));
            }
            int side = -1;
            long price = -1;
            int priceScale = 0;
            long qty = -1;
            int qtyScale = 0;
            update.begin(at, i);
            for (int key; (key = update.next(p)) != StrictObject.END; ) {
                switch (key) {
                    case SIDE:
                        side = side(p, at, i);
                        break;
                    case PRICE_LEVEL:
                        number.read(p, EX, at, i, "price_level");
                        price = number.unscaled();
                        priceScale = number.scale();
                        break;
                    case NEW_QUANTITY:
                        number.read(p, EX, at, i, "new_quantity");
                        qty = number.unscaled();
                        qtyScale = number.scale();
                        break;
                    default:
                        throw new IllegalStateException();
                }
            }
            if (side < 0 || price < 0 || qty < 0) {
                throw StrictJson.malformed(
                        EX,
                        at
                                + "["
                                + i
                                + "] lacks "
                                + (side < 0 ? "side" : price < 0 ? "price_level" : "new_quantity"));
            }
            if (price == 0) {
                throw StrictJson.malformed(EX, at + "[" + i + "].price_level is zero");
            }
            into.addLevel(side == 1, price, priceScale, qty, qtyScale);
            i++;
        }
    }

    /** 1 for bid, 0 for the ask side. */
    private static int side(JsonParser p, String list, int index)
            throws IOException, BookParseException {
        String s = text(p, list, index, "side");
        switch (s) {
            case "bid":
                return 1;
            case "offer":
            case "ask":
                return 0;
            default:
                throw StrictJson.malformed(
                        EX,
                        ExactNumbers.where(list, index, "side")
                                + " '"
                                + s
                                + "' is neither bid nor offer/ask");
        }
    }

    /** A string field of a list element, described only for an error. */
    private static String text(JsonParser p, String list, int index, String field)
            throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw StrictJson.malformed(
                    EX,
                    ExactNumbers.where(list, index, field)
                            + " is not a string: "
                            + StrictJson.describe(p));
        }
        return p.getText();
    }

    private static String text(JsonParser p, String field) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw StrictJson.malformed(EX, field + " is not a string: " + StrictJson.describe(p));
        }
        return p.getText();
    }
}
