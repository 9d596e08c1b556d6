package io.depthflow.sources.venue.bitstamp;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.markets.NameCache;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.StrictJson;
import io.depthflow.sources.venue.StreamDecoder;
import io.depthflow.sources.ws.ExactNumbers;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Decodes Bitstamp WebSocket API v2 messages ({@code wss://ws.bitstamp.net}). Every message is an
 * object {@code {"event": E, "channel": C, "data": D}}, in any field order:
 *
 * <ul>
 *   <li>{@code event "data"} on {@code order_book_{pair}}: the top 100 bids and asks, a whole book
 *       ({@link Type#BOOK_SNAPSHOT}); on {@code diff_order_book_{pair}}: the levels changed since
 *       the last message, amount 0 removes ({@link Type#BOOK_UPDATE}). {@code D} is {@code
 *       {"timestamp": "...", "microtimestamp": "...", "bids": [[price, amount], ...], "asks":
 *       [...]}}, decimals as strings;
 *   <li>{@code bts:subscription_succeeded} / {@code bts:unsubscription_succeeded} for a book
 *       channel: {@link Type#SUBSCRIBED} / {@link Type#UNSUBSCRIBED} of its market;
 *   <li>{@code bts:heartbeat} (the answer to the client's heartbeat) and {@code
 *       bts:connection_established}: {@link Type#HEARTBEAT};
 *   <li>{@code bts:request_reconnect}: {@link Type#RECONNECT} ("reconnect within a few seconds");
 *   <li>{@code bts:error}: {@link Type#ERROR} with {@code data.message};
 *   <li>anything else (trades, other channels): {@link Type#OTHER}.
 * </ul>
 *
 * The market is the channel's pair ({@link BitstampSymbols}). {@link StreamMessage#sequence} is the
 * book message's {@code microtimestamp} (what a diff is ordered and synced by), -1 otherwise. One
 * instance per thread; the message instance is reused.
 */
@PublicEvolving
public final class BitstampWsParser implements StreamDecoder {

    static final String BOOK = "order_book_";
    static final String DIFF = "diff_order_book_";

    private static final String EX = BitstampVenue.NAME;

    private final ExactNumbers number = new ExactNumbers();
    private final NameCache markets = new NameCache(BitstampSymbols::market);

    @Override
    public void decode(String payload, String market, StreamMessage into)
            throws BookParseException {
        into.reset();
        String event = null;
        String channel = null;
        String error = null;
        boolean data = false;
        int seen = 0;
        try (JsonParser p = StrictJson.openCheckingKeysYourself(payload)) {
            StrictJson.expectRootObject(p, EX);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "event":
                        seen = StrictJson.once(seen, 1, EX, null, -1, field);
                        event = text(p, field);
                        break;
                    case "channel":
                        seen = StrictJson.once(seen, 2, EX, null, -1, field);
                        channel = text(p, field);
                        break;
                    case "data":
                        seen = StrictJson.once(seen, 4, EX, null, -1, field);
                        data = true;
                        if (value == JsonToken.START_OBJECT) {
                            error = readData(p, into);
                        } else {
                            p.skipChildren();
                        }
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
        if (event == null) {
            throw StrictJson.malformed(EX, "no 'event'");
        }
        String pair = bookPair(channel);
        switch (event) {
            case "data":
                if (pair == null) {
                    other(into);
                    return;
                }
                if (!data || into.sequence < 0) {
                    throw StrictJson.malformed(
                            EX, "book message on " + channel + " without data.microtimestamp");
                }
                into.type = channel.startsWith(DIFF) ? Type.BOOK_UPDATE : Type.BOOK_SNAPSHOT;
                into.addMarket(market(pair, channel));
                break;
            case "bts:subscription_succeeded":
            case "bts:unsubscription_succeeded":
                if (pair == null) {
                    other(into);
                    return;
                }
                into.levelCount = 0;
                into.sequence = -1;
                into.type =
                        event.equals("bts:subscription_succeeded")
                                ? Type.SUBSCRIBED
                                : Type.UNSUBSCRIBED;
                into.addMarket(market(pair, channel));
                break;
            case "bts:heartbeat":
            case "bts:connection_established":
                other(into);
                into.type = Type.HEARTBEAT;
                break;
            case "bts:request_reconnect":
                other(into);
                into.type = Type.RECONNECT;
                break;
            case "bts:error":
                other(into);
                into.type = Type.ERROR;
                into.error = error == null ? "error without a message" : error;
                if (pair != null) {
                    into.addMarket(market(pair, channel));
                }
                break;
            default:
                other(into);
        }
        if (market != null && into.isBook() && !market.equals(into.market())) {
            other(into);
        }
    }

    private static void other(StreamMessage into) {
        into.type = Type.OTHER;
        into.levelCount = 0;
        into.sequence = -1;
        into.markets.clear();
    }

    /**
     * The pair of a book channel ({@code order_book_btcusd}, {@code diff_order_book_btcusd}), else
     * null.
     */
    private static String bookPair(String channel) {
        if (channel == null) {
            return null;
        }
        if (channel.startsWith(DIFF)) {
            return channel.substring(DIFF.length());
        }
        if (channel.startsWith(BOOK)) {
            return channel.substring(BOOK.length());
        }
        return null;
    }

    /**
     * Reads {@code data}: book levels and microtimestamp into {@code into}; returns an error's
     * message.
     */
    private String readData(JsonParser p, StreamMessage into)
            throws IOException, BookParseException {
        String message = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "microtimestamp":
                    seen = StrictJson.once(seen, 1, EX, "data", -1, field);
                    into.sequence = BitstampBookParser.micros(p, EX);
                    break;
                case "bids":
                    seen = StrictJson.once(seen, 2, EX, "data", -1, field);
                    readLevels(p, into, true);
                    break;
                case "asks":
                    seen = StrictJson.once(seen, 4, EX, "data", -1, field);
                    readLevels(p, into, false);
                    break;
                case "message":
                    message =
                            value == JsonToken.VALUE_STRING ? p.getText() : StrictJson.describe(p);
                    p.skipChildren();
                    break;
                default:
                    p.skipChildren();
            }
        }
        return message;
    }

    private void readLevels(JsonParser p, StreamMessage into, boolean bid)
            throws IOException, BookParseException {
        String side = bid ? "bids" : "asks";
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw StrictJson.malformed(EX, side + " is not an array: " + StrictJson.describe(p));
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw StrictJson.malformed(
                        EX, side + "[" + i + "] is not an array: " + StrictJson.describe(p));
            }
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw StrictJson.malformed(
                        EX,
                        side
                                + "["
                                + i
                                + "][0] (price) is not a decimal string: "
                                + StrictJson.describe(p));
            }
            number.read(p, EX, side, i, "price");
            long price = number.unscaled();
            int priceScale = number.scale();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw StrictJson.malformed(
                        EX,
                        side
                                + "["
                                + i
                                + "][1] (amount) is not a decimal string: "
                                + StrictJson.describe(p));
            }
            number.read(p, EX, side, i, "amount");
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw StrictJson.malformed(EX, side + "[" + i + "] has more than 2 elements");
            }
            if (price == 0) {
                throw StrictJson.malformed(EX, side + "[" + i + "] price is zero");
            }
            into.addLevel(bid, price, priceScale, number.unscaled(), number.scale());
            i++;
        }
    }

    private static String text(JsonParser p, String field) throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw StrictJson.malformed(EX, field + " is not a string: " + StrictJson.describe(p));
        }
        return p.getText();
    }

    private String market(String pair, String channel) throws BookParseException {
        try {
            return markets.of(pair);
        } catch (IllegalArgumentException e) {
            throw StrictJson.malformed(EX, "channel '" + channel + "' does not name a known pair");
        }
    }
}
