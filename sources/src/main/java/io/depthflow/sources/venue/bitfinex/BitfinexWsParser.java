package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.markets.NameCache;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.StrictJson;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses the messages of one Bitfinex WebSocket v2 connection into a {@link StreamMessage}, and
 * says what each one is ({@link Kind}). Stateful: channel data names only a {@code CHAN_ID}, so the
 * parser remembers which book channel is which market from the {@code subscribed} events, and
 * forgets a channel on {@code unsubscribed}. Feed it every message of a connection in order, and
 * {@link #reset()} it on a new connection.
 *
 * <ul>
 *   <li>{@code [CHAN_ID, [[PRICE, COUNT, AMOUNT], ...], SEQ]} on a book channel → {@link
 *       Kind#BOOK}, {@link Type#BOOK_SNAPSHOT}: AMOUNT &gt; 0 a bid, &lt; 0 an ask of size
 *       |AMOUNT|.
 *   <li>{@code [CHAN_ID, [PRICE, COUNT, AMOUNT], SEQ]} → {@link Kind#BOOK}, {@link
 *       Type#BOOK_UPDATE} with one level: COUNT &gt; 0 sets the level to |AMOUNT|; COUNT 0 removes
 *       it (size 0), from the bids when AMOUNT is 1 and from the asks when it is -1.
 *   <li>{@code [CHAN_ID, "cs", CHECKSUM, SEQ]} → {@link Kind#CHECKSUM}: a {@link Type#BOOK_UPDATE}
 *       without levels whose {@link StreamMessage#checksum} is the checksum as an unsigned 32-bit
 *       value ({@code CHECKSUM & 0xFFFFFFFF}; Bitfinex sends it signed). It checks the book as it
 *       is after the messages before it.
 *   <li>{@code [CHAN_ID, "hb", SEQ]} → {@link Kind#HEARTBEAT}; other channels' data → {@link
 *       Kind#OTHER}. Every array message's trailing sequence number (conf flag {@code SEQ_ALL}) is
 *       in {@link StreamMessage#sequence}, -1 when absent: the sequence runs over all channels of
 *       the connection, so every message must pass the sequence check, not only book messages.
 *   <li>Events: {@code subscribed} (book: market and {@code len} in {@link StreamMessage#depth}),
 *       {@code unsubscribed}, {@code conf}, {@code pong}, {@code error} ({@link Type#ERROR} with
 *       {@code msg} and {@code code}), {@code info} ({@link Kind#RECONNECT} for code 20051, {@link
 *       Kind#MAINTENANCE} for 20060 or platform status 0, {@link Kind#MAINTENANCE_END} for 20061,
 *       else {@link Kind#INFO}).
 * </ul>
 *
 * Numbers are read from their JavaScript text ({@link JsNumbers}), never through {@code double}.
 * Anything not of the documented shape is a malformed {@link BookParseException}. One instance per
 * connection; not thread-safe.
 */
@PublicEvolving
public final class BitfinexWsParser {

    private static final String EX = Bitfinex.NAME;

    /** What a message is, beyond {@link StreamMessage.Type}. */
    public enum Kind {
        BOOK,
        CHECKSUM,
        HEARTBEAT,
        SUBSCRIBED,
        UNSUBSCRIBED,
        CONF,
        PONG,
        ERROR,
        INFO,
        /** Info 20051: the server stops or restarts; reconnect. */
        RECONNECT,
        /** Info 20060 (or platform status 0): maintenance; books unusable until it ends. */
        MAINTENANCE,
        /** Info 20061: maintenance ended; resubscribe every channel. */
        MAINTENANCE_END,
        /** Data of a channel that is not a book channel of this connection. */
        OTHER
    }

    private final JsNumbers number = new JsNumbers();
    private final NameCache canonical = new NameCache(BitfinexSymbols::market);
    private final Map<Long, String> books = new HashMap<>();
    private long chanId;
    private int infoCode;

    /** A new connection: channel ids start over. */
    public void reset() {
        books.clear();
    }

    /** The channel id of the last array message or (un)subscribe event; -1 when none. */
    public long chanId() {
        return chanId;
    }

    /** The code of the last info event, 0 when it had none. */
    public int infoCode() {
        return infoCode;
    }

    /** The book channel of {@code market} on this connection, or -1 when it has none. */
    public long channelOf(String market) {
        for (Map.Entry<Long, String> e : books.entrySet()) {
            if (e.getValue().equals(market)) {
                return e.getKey();
            }
        }
        return -1;
    }

    public Kind parse(String payload, StreamMessage into) throws BookParseException {
        return parse(payload, null, into);
    }

    /**
     * As {@link #parse(String, StreamMessage)}, for a message known to belong to {@code market}'s
     * book channel: channel data of a channel id this parser has not seen subscribed (a decoder
     * that starts mid-stream, as the job's after a restore) is read as {@code market}'s book; a
     * book message of another market comes out as {@link Type#OTHER} without levels.
     */
    public Kind parse(String payload, String market, StreamMessage into) throws BookParseException {
        into.reset();
        chanId = -1;
        given = market;
        Kind kind = decode(payload, into);
        if (market != null && into.isBook() && !market.equals(into.market())) {
            into.levelCount = 0;
            into.type = Type.OTHER;
            into.checksum = -1;
            return Kind.OTHER;
        }
        return kind;
    }

    private String given;

    private Kind decode(String payload, StreamMessage into) throws BookParseException {
        try (JsonParser p = StrictJson.openCheckingKeysYourself(payload)) {
            JsonToken first = p.nextToken();
            Kind kind;
            if (first == JsonToken.START_ARRAY) {
                kind = channelMessage(p, into);
            } else if (first == JsonToken.START_OBJECT) {
                kind = event(p, into);
            } else {
                throw StrictJson.malformed(
                        EX,
                        "message is neither a JSON array nor an object: " + StrictJson.describe(p));
            }
            StrictJson.expectEndOfInput(p, EX);
            return kind;
        } catch (JsonProcessingException e) {
            throw StrictJson.invalidJson(EX, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Kind channelMessage(JsonParser p, StreamMessage into)
            throws IOException, BookParseException {
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            throw StrictJson.malformed(
                    EX, "[0] (channel id) is not an integer: " + StrictJson.describe(p));
        }
        chanId = p.getLongValue();
        String market = books.get(chanId);
        if (market == null) {
            market = given;
        }
        JsonToken t = p.nextToken();
        Kind kind;
        if (t == JsonToken.VALUE_STRING) {
            String what = p.getText();
            if ("hb".equals(what)) {
                kind = Kind.HEARTBEAT;
                into.type = Type.HEARTBEAT;
            } else if ("cs".equals(what)) {
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw StrictJson.malformed(
                            EX, "[2] (checksum) is not an integer: " + StrictJson.describe(p));
                }
                long cs = p.getLongValue();
                if (cs < Integer.MIN_VALUE || cs > Integer.MAX_VALUE) {
                    throw StrictJson.malformed(
                            EX, "[2] (checksum) is not a signed 32-bit integer: " + cs);
                }
                if (market == null) {
                    kind = Kind.OTHER;
                    into.type = Type.OTHER;
                } else {
                    kind = Kind.CHECKSUM;
                    into.type = Type.BOOK_UPDATE;
                    into.checksum = cs & 0xFFFF_FFFFL;
                    into.addMarket(market);
                }
            } else {
                // "te"/"tu" of the trades channel and the like: their payload follows.
                kind = Kind.OTHER;
                into.type = Type.OTHER;
                t = p.nextToken();
                if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                    p.skipChildren();
                } else if (t == JsonToken.VALUE_NUMBER_INT) {
                    into.sequence = sequence(p);
                    return finish(p, kind);
                } else if (t == JsonToken.END_ARRAY) {
                    return kind;
                }
            }
        } else if (t == JsonToken.START_ARRAY) {
            if (market == null) {
                p.skipChildren();
                kind = Kind.OTHER;
                into.type = Type.OTHER;
            } else {
                kind = Kind.BOOK;
                into.addMarket(market);
                book(p, into);
            }
        } else {
            throw StrictJson.malformed(
                    EX, "[1] is neither data nor \"hb\"/\"cs\": " + StrictJson.describe(p));
        }
        t = p.nextToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            into.sequence = sequence(p);
        } else if (t == JsonToken.END_ARRAY) {
            return kind;
        } else {
            throw StrictJson.malformed(
                    EX, "sequence number is not an integer: " + StrictJson.describe(p));
        }
        return finish(p, kind);
    }

    /**
     * The trailing sequence number of an array message without parsing it ({@code [..,SEQ]}), -1
     * when the message is not an array or ends in something else (an event, a message without
     * {@code SEQ_ALL}).
     */
    public static long peekSequence(String payload) {
        int end = payload.length() - 1;
        while (end >= 0 && Character.isWhitespace(payload.charAt(end))) {
            end--;
        }
        if (end < 1 || payload.charAt(end) != ']' || payload.charAt(0) != '[') {
            return -1;
        }
        int i = end - 1;
        long v = 0;
        long unit = 1;
        int digits = 0;
        while (i > 0 && payload.charAt(i) >= '0' && payload.charAt(i) <= '9' && digits < 18) {
            v += (payload.charAt(i) - '0') * unit;
            unit *= 10;
            digits++;
            i--;
        }
        return digits > 0 && payload.charAt(i) == ',' ? v : -1;
    }

    /** Skips fields appended after the sequence number ("new fields may be appended"). */
    private static Kind finish(JsonParser p, Kind kind) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
        }
        return kind;
    }

    private static long sequence(JsonParser p) throws IOException, BookParseException {
        long seq = p.getLongValue();
        if (seq < 0) {
            throw StrictJson.malformed(EX, "sequence number is negative: " + seq);
        }
        return seq;
    }

    /** At the {@code START_ARRAY} of the data: a snapshot (array of levels) or one level. */
    private void book(JsonParser p, StreamMessage into) throws IOException, BookParseException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            into.type = Type.BOOK_SNAPSHOT;
            return;
        }
        if (t == JsonToken.START_ARRAY) {
            into.type = Type.BOOK_SNAPSHOT;
            int i = 0;
            do {
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw StrictJson.malformed(
                            EX, "[1][" + i + "] is not a level array: " + StrictJson.describe(p));
                }
                p.nextToken();
                level(p, into, "[1][" + i + "]", true);
                i++;
            } while (p.nextToken() != JsonToken.END_ARRAY);
            return;
        }
        into.type = Type.BOOK_UPDATE;
        level(p, into, "[1]", false);
    }

    /** At the first element (price) of a level; consumes its {@code END_ARRAY}. */
    private void level(JsonParser p, StreamMessage into, String at, boolean snapshot)
            throws IOException, BookParseException {
        readNumber(p, at + "[0] (price)");
        if (number.negative() || number.unscaled() == 0) {
            throw StrictJson.malformed(
                    EX, at + "[0] (price) is not positive: " + StrictJson.describe(p));
        }
        long price = number.unscaled();
        int priceScale = number.scale();
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            throw StrictJson.malformed(
                    EX, at + "[1] (count) is not an integer: " + StrictJson.describe(p));
        }
        long count = p.getLongValue();
        if (count < 0 || (snapshot && count == 0)) {
            throw StrictJson.malformed(
                    EX, at + "[1] (count) is " + count + (snapshot ? " in a snapshot" : ""));
        }
        p.nextToken();
        readNumber(p, at + "[2] (amount)");
        if (number.unscaled() == 0) {
            throw StrictJson.malformed(EX, at + "[2] (amount) is zero: neither a bid nor an ask");
        }
        boolean bid = !number.negative();
        if (count == 0) {
            // Removal: AMOUNT is 1 (bids) or -1 (asks), not a size.
            into.addLevel(bid, price, priceScale, 0, 0);
        } else {
            into.addLevel(bid, price, priceScale, number.unscaled(), number.scale());
        }
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw StrictJson.malformed(EX, at + " has more than 3 elements");
        }
    }

    private void readNumber(JsonParser p, String at) throws IOException, BookParseException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.END_ARRAY || t == null) {
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

    private Kind event(JsonParser p, StreamMessage into) throws IOException, BookParseException {
        String event = null;
        String channel = null;
        String symbol = null;
        String status = null;
        String msg = null;
        long code = 0;
        long id = -1;
        int len = 0;
        int platformStatus = -1;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "event":
                    seen = StrictJson.once(seen, 1, EX, null, -1, field);
                    event = text(p, field);
                    break;
                case "channel":
                    seen = StrictJson.once(seen, 2, EX, null, -1, field);
                    channel = text(p, field);
                    break;
                case "symbol":
                    seen = StrictJson.once(seen, 4, EX, null, -1, field);
                    symbol = text(p, field);
                    break;
                case "chanId":
                    seen = StrictJson.once(seen, 8, EX, null, -1, field);
                    id = integer(p, field);
                    break;
                case "len":
                    seen = StrictJson.once(seen, 16, EX, null, -1, field);
                    len =
                            (int)
                                    (v == JsonToken.VALUE_STRING
                                            ? parseInt(p.getText(), field)
                                            : integer(p, field));
                    break;
                case "status":
                    seen = StrictJson.once(seen, 32, EX, null, -1, field);
                    status = v == JsonToken.VALUE_STRING ? p.getText() : StrictJson.describe(p);
                    p.skipChildren();
                    break;
                case "msg":
                    seen = StrictJson.once(seen, 64, EX, null, -1, field);
                    msg = v == JsonToken.VALUE_STRING ? p.getText() : StrictJson.describe(p);
                    p.skipChildren();
                    break;
                case "code":
                    seen = StrictJson.once(seen, 128, EX, null, -1, field);
                    code = integer(p, field);
                    break;
                case "platform":
                    seen = StrictJson.once(seen, 256, EX, null, -1, field);
                    platformStatus = platformStatus(p);
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (event == null) {
            throw StrictJson.malformed(EX, "object without 'event'");
        }
        infoCode = 0;
        switch (event) {
            case "subscribed":
                if (id < 0) {
                    throw StrictJson.malformed(EX, "subscribed without 'chanId'");
                }
                chanId = id;
                if (!"book".equals(channel)) {
                    into.type = Type.OTHER;
                    return Kind.OTHER;
                }
                if (symbol == null) {
                    throw StrictJson.malformed(EX, "book subscribed without 'symbol'");
                }
                String market = market(symbol);
                books.put(id, market);
                into.type = Type.SUBSCRIBED;
                into.addMarket(market);
                into.depth = len;
                return Kind.SUBSCRIBED;
            case "unsubscribed":
                if (id < 0) {
                    throw StrictJson.malformed(EX, "unsubscribed without 'chanId'");
                }
                chanId = id;
                String gone = books.remove(id);
                into.type = gone == null ? Type.OTHER : Type.UNSUBSCRIBED;
                if (gone != null) {
                    into.addMarket(gone);
                }
                return gone == null ? Kind.OTHER : Kind.UNSUBSCRIBED;
            case "error":
                into.type = Type.ERROR;
                into.error =
                        (msg == null ? "error" : msg) + (code == 0 ? "" : " (code " + code + ")");
                if (symbol != null) {
                    try {
                        into.addMarket(canonical.of(symbol));
                    } catch (IllegalArgumentException e) {
                        // an error about a symbol that is not a pair: connection-level
                    }
                }
                return Kind.ERROR;
            case "conf":
                if (status != null && !"OK".equals(status)) {
                    into.type = Type.ERROR;
                    into.error = "conf refused: " + status + (msg == null ? "" : ": " + msg);
                    return Kind.ERROR;
                }
                into.type = Type.OTHER;
                return Kind.CONF;
            case "pong":
                into.type = Type.PONG;
                return Kind.PONG;
            case "info":
                into.type = Type.OTHER;
                infoCode = (int) code;
                if (code == Bitfinex.INFO_RECONNECT) {
                    return Kind.RECONNECT;
                }
                if (code == Bitfinex.INFO_MAINTENANCE || platformStatus == 0) {
                    return Kind.MAINTENANCE;
                }
                if (code == Bitfinex.INFO_MAINTENANCE_END) {
                    return Kind.MAINTENANCE_END;
                }
                return Kind.INFO;
            default:
                into.type = Type.OTHER;
                return Kind.OTHER;
        }
    }

    private static int platformStatus(JsonParser p) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw StrictJson.malformed(EX, "platform is not an object: " + StrictJson.describe(p));
        }
        int status = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if ("status".equals(f) && v == JsonToken.VALUE_NUMBER_INT) {
                status = p.getIntValue();
            } else {
                p.skipChildren();
            }
        }
        return status;
    }

    private String market(String symbol) throws BookParseException {
        try {
            return canonical.of(symbol);
        } catch (IllegalArgumentException e) {
            throw StrictJson.malformed(
                    EX, "symbol '" + symbol + "' is not a trading pair tBASEQUOTE");
        }
    }

    private static String text(JsonParser p, String field) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw StrictJson.malformed(EX, field + " is not a string: " + StrictJson.describe(p));
        }
        return p.getText();
    }

    private static long integer(JsonParser p, String field) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw StrictJson.malformed(EX, field + " is not an integer: " + StrictJson.describe(p));
        }
        return p.getLongValue();
    }

    private static long parseInt(String text, String field) throws BookParseException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw StrictJson.malformed(EX, field + " '" + text + "' is not an integer");
        }
    }
}
