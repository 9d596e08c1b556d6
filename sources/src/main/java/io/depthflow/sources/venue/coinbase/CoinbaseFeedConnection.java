package io.depthflow.sources.venue.coinbase;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.simulator.MarketBook;
import io.depthflow.sources.simulator.WireText;

import java.util.List;
import java.util.Map;

/**
 * The messages of one Coinbase Advanced Trade WebSocket connection (exchanges.md §3), in the
 * documented envelope: {@code channel}, {@code client_id}, {@code timestamp} (nanoseconds), {@code
 * sequence_num} and {@code events}. Every message of the connection takes the next {@code
 * sequence_num}, starting at 0, whatever its channel ({@code subscriptions}, {@code l2_data},
 * {@code heartbeats}); {@link #skip()} consumes one without a message, which is what a dropped
 * message looks like to the client. Level-2 snapshots carry the whole book; updates carry the
 * levels a {@link MarketBook} step touched, with their new size ({@code "0"} = removed). The ask
 * side is written {@code offer}. Prices and sizes lose trailing zeros, as in the docs' example
 * ({@code "21921.3"}, {@code "0.02"}).
 */
@Internal
public final class CoinbaseFeedConnection {

    private long nextSequence;
    private long heartbeats;
    private final StringBuilder json = new StringBuilder(4096);

    /** The sequence number the next message will carry. */
    public long nextSequence() {
        return nextSequence;
    }

    /** Consumes a sequence number without a message (the dropped-message fault). */
    public void skip() {
        nextSequence++;
    }

    public String subscriptions(List<String> markets, boolean heartbeatChannel, long nowMs) {
        envelope("subscriptions", nowMs);
        json.append("[{\"subscriptions\":{\"level2\":[");
        for (int i = 0; i < markets.size(); i++) {
            json.append(i > 0 ? "," : "")
                    .append('"')
                    .append(CoinbaseSymbols.productId(markets.get(i)))
                    .append('"');
        }
        json.append(']');
        if (heartbeatChannel) {
            json.append(",\"heartbeats\":[\"heartbeats\"]");
        }
        return json.append("}}]}").toString();
    }

    public String snapshot(String market, MarketBook book, long nowMs) {
        envelope("l2_data", nowMs);
        json.append("[{\"type\":\"snapshot\",\"product_id\":\"")
                .append(CoinbaseSymbols.productId(market))
                .append("\",\"updates\":[");
        boolean first = true;
        for (Map.Entry<Long, Long> e : book.bids.entrySet()) {
            level(first, true, "1970-01-01T00:00:00Z", e.getKey(), e.getValue(), book);
            first = false;
        }
        for (Map.Entry<Long, Long> e : book.asks.entrySet()) {
            level(first, false, "1970-01-01T00:00:00Z", e.getKey(), e.getValue(), book);
            first = false;
        }
        return json.append("]}]}").toString();
    }

    /** The levels the book's last step touched. */
    public String update(String market, MarketBook book, long nowMs) {
        envelope("l2_data", nowMs);
        json.append("[{\"type\":\"update\",\"product_id\":\"")
                .append(CoinbaseSymbols.productId(market))
                .append("\",\"updates\":[");
        String eventTime = WireText.micros(nowMs);
        for (int i = 0; i < book.changeCount; i++) {
            boolean bid = book.changedBid[i];
            long price = book.changedPrice[i];
            level(i == 0, bid, eventTime, price, book.sizeAt(bid, price), book);
        }
        return json.append("]}]}").toString();
    }

    public String heartbeat(long nowMs) {
        envelope("heartbeats", nowMs);
        return json.append("[{\"current_time\":\"")
                .append(WireText.nanos(nowMs).replace('T', ' ').replace("Z", " +0000 UTC"))
                .append("\",\"heartbeat_counter\":")
                .append(++heartbeats)
                .append("}]}")
                .toString();
    }

    private void envelope(String channel, long nowMs) {
        json.setLength(0);
        json.append("{\"channel\":\"")
                .append(channel)
                .append("\",\"client_id\":\"\",\"timestamp\":\"")
                .append(WireText.nanos(nowMs))
                .append("\",\"sequence_num\":")
                .append(nextSequence++)
                .append(",\"events\":");
    }

    private void level(
            boolean first, boolean bid, String eventTime, long price, long size, MarketBook book) {
        if (!first) {
            json.append(',');
        }
        json.append("{\"side\":\"")
                .append(bid ? "bid" : "offer")
                .append("\",\"event_time\":\"")
                .append(eventTime)
                .append("\",\"price_level\":\"");
        WireText.appendStripped(json, price, book.priceScale);
        json.append("\",\"new_quantity\":\"");
        WireText.appendStripped(json, size, book.sizeScale);
        json.append("\"}");
    }
}
