package io.depthflow.sources.venue.bitstamp;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.rest.RateLimit;
import io.depthflow.sources.venue.AbstractVenue;
import io.depthflow.sources.venue.Integrity;
import io.depthflow.sources.venue.StreamDecoder;

import java.net.URI;
import java.util.List;

/**
 * Bitstamp: REST {@code GET /api/v2/order_book/{pair}} ({@link BitstampBookParser}) and the
 * WebSocket API v2 channel {@code order_book_{pair}} ({@link BitstampWsParser}), which sends the
 * top 100 levels per side as a whole book in every message; so no message depends on another,
 * nothing needs checking and every message resyncs the book (why this channel and not {@code
 * diff_order_book_{pair}}: README.md in this package). The client's {@code bts:heartbeat} is the
 * ping; {@code bts:request_reconnect} restarts the connection.
 */
@PublicEvolving
public final class BitstampVenue extends AbstractVenue {

    public static final String NAME = "bitstamp";

    public static final String REST_URL = "https://www.bitstamp.net";
    public static final String WS_URL = "wss://ws.bitstamp.net";

    /** Levels per side of an {@code order_book_{pair}} message ("Top 100 bids/asks"). */
    public static final int STREAM_LEVELS = 100;

    /**
     * Bitstamp, $0–$10,000 tier, taker 0.40 % (maker 0.30 %),
     * https://www.bitstamp.net/fee_schedule/ as summarised in
     * https://raw.githubusercontent.com/api-evangelist/bitstamp/refs/heads/main/finops/finops.yml .
     * Looked up 2026-12-06.
     */
    static final String TAKER_FEE_BPS = "40";

    /**
     * 1/s, burst 2: far within Bitstamp's per-client request limit (8,000 requests per 10 minutes
     * in its API docs; cryptofeed's {@code request_limit} is 13/s); a book a minute per market
     * needs far less.
     */
    static final RateLimit RATE_LIMIT = new RateLimit(1.0, 2);

    /** Declared after the constants its constructor reads. */
    public static final BitstampVenue INSTANCE = new BitstampVenue();

    private BitstampVenue() {
        super(
                NAME,
                TAKER_FEE_BPS,
                REST_URL,
                RATE_LIMIT,
                WS_URL,
                Integrity.NONE,
                BitstampRestDialect.INSTANCE,
                BitstampStreamDialect.INSTANCE);
    }

    // ---- REST ------------------------------------------------------------------------------

    /** {@code {base}/api/v2/order_book/btcusd}: the whole book, grouped by price. */
    @Override
    public URI bookUri(String baseUrl, String market, int depthCount) {
        return URI.create(baseUrl + "/api/v2/order_book/" + BitstampSymbols.pair(market));
    }

    @Override
    public OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        return BitstampBookParser.parse(raw);
    }

    // ---- WebSocket --------------------------------------------------------------------------

    @Override
    public List<String> subscribe(List<String> markets, int depth) {
        return markets.stream().map(m -> request("bts:subscribe", m)).toList();
    }

    /**
     * Unsubscribe and subscribe again (never needed: no check can fail, and the next message is a
     * whole book).
     */
    @Override
    public List<String> resubscribe(String market, int depth, StreamDecoder decoder) {
        return List.of(request("bts:unsubscribe", market), request("bts:subscribe", market));
    }

    static String request(String event, String market) {
        return "{\"event\":\""
                + event
                + "\",\"data\":{\"channel\":\""
                + bookChannel(market)
                + "\"}}";
    }

    /** {@code order_book_btcusd}: the channel of {@code market}'s whole book. */
    static String bookChannel(String market) {
        return BitstampWsParser.BOOK + BitstampSymbols.pair(market);
    }

    /**
     * Bitstamp answers {@code bts:heartbeat} with {@code bts:heartbeat} ({@code
     * "status":"success"}).
     */
    @Override
    public String ping(long id) {
        return "{\"event\":\"bts:heartbeat\"}";
    }

    @Override
    public StreamDecoder newDecoder() {
        return new BitstampWsParser();
    }
}
