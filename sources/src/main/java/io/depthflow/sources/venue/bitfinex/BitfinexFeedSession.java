package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.Internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.sources.venue.BookLevels;
import io.depthflow.sources.venue.SimBook;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The simulator's Bitfinex dialect: one WebSocket v2 connection's side of the protocol, in the
 * exact wire format, independent of the transport (the simulator hands it the client's text and
 * sends what it returns). What it does, as Bitfinex does:
 *
 * <ul>
 *   <li>{@link #onOpen}: {@code {"event":"info","version":2,...,"platform":{"status":1}}}.
 *   <li>{@code conf} → {@code {"event":"conf","status":"OK","flags":F}}; with flag 65536 every
 *       array message then ends with the connection's next sequence number (from 1), with flag
 *       131072 every book step is followed by {@code [CHAN_ID,"cs",CHECKSUM,SEQ]}.
 *   <li>{@code subscribe} to {@code book} P0 with {@code len} 1, 25, 100 or 250 → {@code
 *       subscribed} with a new channel id, then the snapshot {@code [CHAN_ID,[[PRICE,COUNT,AMOUNT],
 *       ...],SEQ]} of the top {@code len} bids and asks (asks with negative amounts) and its
 *       checksum. An unknown symbol or length → {@code {"event":"error",...,"code":10001|10012}}.
 *   <li>{@link #onStep}: after the market's book moved, one message per changed level of the
 *       subscriber's top-{@code len} view ({@code [CHAN_ID,[PRICE,COUNT,AMOUNT],SEQ]}; a level that
 *       left the view, deleted or pushed out, is {@code [PRICE,0,±1]}), removals first so a client
 *       that truncates its book to {@code len} never drops a level it still needs, then the
 *       checksum.
 *   <li>{@code unsubscribe} → {@code unsubscribed}; {@code ping} → {@code pong}; {@link
 *       #heartbeats} → {@code [CHAN_ID,"hb",SEQ]} for each channel.
 * </ul>
 *
 * Numbers are written as Bitfinex writes them ({@link JsNumbers#appendJs}); COUNT is a
 * deterministic function of the size (the simulated book has no orders). Faults: {@link
 * #corruptNextChecksum} (the next {@code cs} of the market carries a wrong value) and {@link
 * #dropNextUpdate} (the next level message of the market is not sent, its sequence number is spent:
 * the client sees a gap, and its book would fail the next checksum). Not thread-safe.
 */
@Internal
public final class BitfinexFeedSession {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, SimBook> books;
    private final long firstChannelId;
    private final StringBuilder out = new StringBuilder(4096);
    private final BitfinexChecksum checksum = new BitfinexChecksum();
    private final Map<Long, View> channels = new LinkedHashMap<>();
    private int flags;
    private long sequence;
    private long nextChannel;

    /**
     * @param books the simulated book of a canonical market, or null when the venue has no such
     *     market
     * @param firstChannelId the first channel id handed out (distinct per connection helps tests)
     */
    public BitfinexFeedSession(Function<String, SimBook> books, long firstChannelId) {
        this.books = books;
        this.firstChannelId = firstChannelId;
        this.nextChannel = firstChannelId;
    }

    public String onOpen() {
        return "{\"event\":\"info\",\"version\":2,\"serverId\":\"depthflow-simulator\",\"platform\":{\"status\":1}}";
    }

    /** The answers to one client message, in order. */
    public List<String> onText(String text, long nowMs) {
        List<String> replies = new ArrayList<>();
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (Exception e) {
            replies.add(error("Unknown event", 10000, null));
            return replies;
        }
        String event = m.path("event").asText("");
        switch (event) {
            case "conf":
                flags = m.path("flags").asInt(0);
                replies.add("{\"event\":\"conf\",\"status\":\"OK\",\"flags\":" + flags + "}");
                break;
            case "ping":
                replies.add(
                        "{\"event\":\"pong\",\"ts\":"
                                + nowMs
                                + (m.has("cid") ? ",\"cid\":" + m.get("cid").asLong() : "")
                                + "}");
                break;
            case "subscribe":
                subscribe(m, replies);
                break;
            case "unsubscribe":
                long id = m.path("chanId").asLong(-1);
                if (channels.remove(id) == null) {
                    replies.add(error("Not subscribed", 10401, null));
                } else {
                    replies.add(
                            "{\"event\":\"unsubscribed\",\"status\":\"OK\",\"chanId\":" + id + "}");
                }
                break;
            default:
                replies.add(error("Unknown event", 10000, null));
        }
        return replies;
    }

    private void subscribe(JsonNode m, List<String> replies) {
        String symbol = m.path("symbol").asText("");
        String market;
        try {
            market = BitfinexSymbols.market(symbol);
        } catch (IllegalArgumentException e) {
            market = null;
        }
        SimBook book = market == null ? null : books.apply(market);
        if (!"book".equals(m.path("channel").asText()) || book == null) {
            replies.add(error("Unknown pair", 10001, symbol));
            return;
        }
        int len = Integer.parseInt(m.path("len").asText("25"));
        if (!Bitfinex.WS_LENS.contains(len) || !"P0".equals(m.path("prec").asText("P0"))) {
            replies.add(error("Unknown Book length", 10012, symbol));
            return;
        }
        for (View v : channels.values()) {
            if (v.market.equals(market)) {
                replies.add(error("Already subscribed", 10301, symbol));
                return;
            }
        }
        long id = nextChannel++;
        View view = new View(id, market, book, len);
        channels.put(id, view);
        replies.add(
                "{\"event\":\"subscribed\",\"channel\":\"book\",\"chanId\":"
                        + id
                        + ",\"symbol\":\""
                        + symbol
                        + "\",\"prec\":\"P0\",\"freq\":\"F0\",\"len\":\""
                        + len
                        + "\",\"pair\":\""
                        + symbol.substring(1)
                        + "\"}");
        replies.add(view.snapshot());
        view.checksumMessage(replies);
    }

    /** The messages for the market's latest book step, for every channel of that market. */
    public List<String> onStep(String market) {
        List<String> messages = new ArrayList<>();
        for (View v : channels.values()) {
            if (v.market.equals(market)) {
                v.update(messages);
            }
        }
        return messages;
    }

    /** One heartbeat per channel. */
    public List<String> heartbeats() {
        List<String> messages = new ArrayList<>();
        for (View v : channels.values()) {
            out.setLength(0);
            out.append('[').append(v.id).append(",\"hb\"");
            messages.add(seq());
        }
        return messages;
    }

    /** The next checksum message of {@code market} carries a wrong value. */
    public void corruptNextChecksum(String market) {
        for (View v : channels.values()) {
            if (v.market.equals(market)) {
                v.corruptChecksum = true;
            }
        }
    }

    /** The next level message of {@code market} is not sent; its sequence number is spent. */
    public void dropNextUpdate(String market) {
        for (View v : channels.values()) {
            if (v.market.equals(market)) {
                v.dropUpdate = true;
            }
        }
    }

    /**
     * Whether a fault set with {@link #corruptNextChecksum} or {@link #dropNextUpdate} is still
     * waiting for a message of {@code market} to apply to.
     */
    public boolean faultPending(String market) {
        for (View v : channels.values()) {
            if (v.market.equals(market) && (v.corruptChecksum || v.dropUpdate)) {
                return true;
            }
        }
        return false;
    }

    /** Withdraws faults that found no message to apply to. */
    public void cancelFaults(String market) {
        for (View v : channels.values()) {
            if (v.market.equals(market)) {
                v.corruptChecksum = false;
                v.dropUpdate = false;
            }
        }
    }

    /** Whether {@code market} has a channel on this connection. */
    public boolean subscribed(String market) {
        for (View v : channels.values()) {
            if (v.market.equals(market)) {
                return true;
            }
        }
        return false;
    }

    /** The channel id of {@code market}'s book on this connection, -1 when not subscribed. */
    public long channelOf(String market) {
        for (View v : channels.values()) {
            if (v.market.equals(market)) {
                return v.id;
            }
        }
        return -1;
    }

    /** The subscribed markets, in subscription order. */
    public List<String> markets() {
        List<String> markets = new ArrayList<>();
        channels.values().forEach(v -> markets.add(v.market));
        return markets;
    }

    /** Channel ids start at the value given to the constructor. */
    public long firstChannelId() {
        return firstChannelId;
    }

    private String error(String msg, int code, String symbol) {
        return "{\"event\":\"error\",\"msg\":\""
                + msg
                + "\",\"code\":"
                + code
                + (symbol == null ? "" : ",\"symbol\":\"" + symbol + "\"")
                + "}";
    }

    /** Ends the array message in {@link #out} with the sequence number (when asked for) and ']'. */
    private String seq() {
        if ((flags & Bitfinex.FLAG_SEQ_ALL) != 0) {
            out.append(',').append(++sequence);
        }
        return out.append(']').toString();
    }

    /** One subscription: what the client has been sent of the book's top {@code len}. */
    private final class View implements BookLevels {
        final long id;
        final String market;
        final SimBook book;
        final int len;
        long[] bidPrices = new long[0];
        long[] bidSizes = new long[0];
        long[] askPrices = new long[0];
        long[] askSizes = new long[0];
        boolean corruptChecksum;
        boolean dropUpdate;

        View(long id, String market, SimBook book, int len) {
            this.id = id;
            this.market = market;
            this.book = book;
            this.len = len;
        }

        String snapshot() {
            refresh();
            out.setLength(0);
            out.append('[').append(id).append(",[");
            for (int i = 0; i < bidPrices.length; i++) {
                level(i > 0, bidPrices[i], bidSizes[i], false);
            }
            for (int i = 0; i < askPrices.length; i++) {
                level(bidPrices.length > 0 || i > 0, askPrices[i], askSizes[i], true);
            }
            out.append(']');
            return seq();
        }

        void update(List<String> messages) {
            long[] ob = bidPrices;
            long[] obs = bidSizes;
            long[] oa = askPrices;
            long[] oas = askSizes;
            refresh();
            int before = messages.size();
            // Removals first, then changes, then new levels: every view the client passes through
            // holds at most len levels, so a client that truncates to len loses nothing.
            for (int pass = 0; pass < 3; pass++) {
                diff(messages, pass, false, ob, obs, bidPrices, bidSizes);
                diff(messages, pass, true, oa, oas, askPrices, askSizes);
            }
            if (messages.size() > before || dropped) {
                dropped = false;
                checksumMessage(messages);
            }
        }

        private boolean dropped;

        /** Pass 0 sends levels that left the view, 1 changed sizes, 2 levels that entered it. */
        private void diff(
                List<String> messages,
                int pass,
                boolean ask,
                long[] oldP,
                long[] oldS,
                long[] newP,
                long[] newS) {
            int i = 0;
            int j = 0;
            while (i < oldP.length || j < newP.length) {
                if (i < oldP.length && j < newP.length && oldP[i] == newP[j]) {
                    if (pass == 1 && oldS[i] != newS[j]) {
                        send(messages, newP[j], newS[j], ask);
                    }
                    i++;
                    j++;
                } else if (j < newP.length
                        && (i == oldP.length || (ask ? newP[j] < oldP[i] : newP[j] > oldP[i]))) {
                    if (pass == 2) {
                        send(messages, newP[j], newS[j], ask);
                    }
                    j++;
                } else {
                    if (pass == 0) {
                        send(messages, oldP[i], 0, ask);
                    }
                    i++;
                }
            }
        }

        private void send(List<String> messages, long price, long size, boolean ask) {
            out.setLength(0);
            out.append('[').append(id).append(',');
            level(false, price, size, ask);
            if (dropUpdate) {
                dropUpdate = false;
                dropped = true;
                if ((flags & Bitfinex.FLAG_SEQ_ALL) != 0) {
                    sequence++;
                }
                return;
            }
            messages.add(seq());
        }

        void checksumMessage(List<String> messages) {
            if ((flags & Bitfinex.FLAG_OB_CHECKSUM) == 0) {
                return;
            }
            int cs = checksum.signed(this);
            if (corruptChecksum) {
                corruptChecksum = false;
                cs ^= 0x5A5A;
            }
            out.setLength(0);
            out.append('[').append(id).append(",\"cs\",").append(cs);
            messages.add(seq());
        }

        /** [PRICE,COUNT,AMOUNT]; size 0 is the removal [PRICE,0,±1]. */
        private void level(boolean comma, long price, long size, boolean ask) {
            if (comma) {
                out.append(',');
            }
            out.append('[');
            JsNumbers.appendJs(out, false, price, book.priceScale());
            if (size == 0) {
                out.append(",0,").append(ask ? "-1" : "1");
            } else {
                out.append(',').append(1 + Long.remainderUnsigned(size, 4)).append(',');
                JsNumbers.appendJs(out, ask, size, book.sizeScale());
            }
            out.append(']');
        }

        private void refresh() {
            int nb = Math.min(len, book.bids().size());
            int na = Math.min(len, book.asks().size());
            bidPrices = new long[nb];
            bidSizes = new long[nb];
            askPrices = new long[na];
            askSizes = new long[na];
            fill(book.bids().entrySet().iterator(), bidPrices, bidSizes);
            fill(book.asks().entrySet().iterator(), askPrices, askSizes);
        }

        private void fill(Iterator<Map.Entry<Long, Long>> it, long[] prices, long[] sizes) {
            for (int i = 0; i < prices.length; i++) {
                Map.Entry<Long, Long> e = it.next();
                prices[i] = e.getKey();
                sizes[i] = e.getValue();
            }
        }

        @Override
        public int bidCount() {
            return bidPrices.length;
        }

        @Override
        public int askCount() {
            return askPrices.length;
        }

        @Override
        public long bidPrice(int i) {
            return bidPrices[i];
        }

        @Override
        public long bidSize(int i) {
            return bidSizes[i];
        }

        @Override
        public long askPrice(int i) {
            return askPrices[i];
        }

        @Override
        public long askSize(int i) {
            return askSizes[i];
        }

        @Override
        public int priceScale() {
            return book.priceScale();
        }

        @Override
        public int sizeScale() {
            return book.sizeScale();
        }
    }
}
