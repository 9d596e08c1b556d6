package io.depthflow.sources.venue.gemini;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.rest.RateLimit;
import io.depthflow.sources.simulator.RestDialect;
import io.depthflow.sources.simulator.StreamDialect;
import io.depthflow.sources.venue.Integrity;
import io.depthflow.sources.venue.RestProtocol;
import io.depthflow.sources.venue.StreamDecoder;
import io.depthflow.sources.venue.StreamProtocol;
import io.depthflow.sources.venue.Venue;

import java.net.URI;
import java.util.List;

/**
 * Gemini: REST {@code GET /v1/book/btcusd?limit_bids=0&limit_asks=0} ({@link GeminiBookParser}) and
 * the market data v2 {@code l2} feed ({@link GeminiWsParser}), whose first message per symbol is
 * the whole book. The feed has no sequence number and no checksum ({@link Integrity#NONE}): a book
 * heals only with a new subscription, which every reconnection (stale feed, disconnect) brings. See
 * {@link Gemini} and this package's README.
 */
@PublicEvolving
public final class GeminiVenue implements Venue, RestProtocol, StreamProtocol {

    public static final String NAME = Gemini.NAME;
    public static final GeminiVenue INSTANCE = new GeminiVenue();

    private GeminiVenue() {}

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Gemini ActiveTrader, first tier (30-day volume 0), taker 0.35 % (maker 0.25 %),
     * https://gemini.com/fees/activetrader-fee-schedule ("Last Modified September 23, 2020", the
     * newest copy stored). Looked up 2026-12-06.
     */
    @Override
    public String baseTierTakerFeeBps() {
        return "35";
    }

    @Override
    public RestProtocol rest() {
        return this;
    }

    @Override
    public StreamProtocol stream() {
        return this;
    }

    @Override
    public RestDialect restDialect() {
        return new GeminiRestDialect();
    }

    @Override
    public StreamDialect streamDialect() {
        return new GeminiStreamDialect();
    }

    // ---- REST ------------------------------------------------------------------------------

    @Override
    public String defaultBaseUrl() {
        return Gemini.REST_URL;
    }

    /**
     * "we limit requests to 120 requests per minute, and recommend that you not exceed 1 request
     * per second".
     */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(1.0, 1);
    }

    /** The whole book ({@code limit_bids=0&limit_asks=0}), whatever {@code depthCount}. */
    @Override
    public URI bookUri(String baseUrl, String market, int depthCount) {
        return Gemini.bookUri(baseUrl, market);
    }

    @Override
    public OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        return GeminiBookParser.parse(raw);
    }

    // ---- WebSocket --------------------------------------------------------------------------

    @Override
    public String defaultUrl() {
        return Gemini.WS_URL;
    }

    @Override
    public List<Integer> depths() {
        return List.of();
    }

    @Override
    public int defaultDepth() {
        return 0;
    }

    /** The l2 feed keeps the whole book. */
    @Override
    public int bookDepth() {
        return DEPTH_UNLIMITED;
    }

    @Override
    public List<String> subscribe(List<String> markets, int depth) {
        return List.of(Gemini.subscribe(markets));
    }

    /** Unsubscribe and subscribe again: the next message with {@code trades} is the whole book. */
    @Override
    public List<String> resubscribe(String market, int depth, StreamDecoder decoder) {
        return List.of(Gemini.unsubscribe(List.of(market)), Gemini.subscribe(List.of(market)));
    }

    /** None: the JDK client answers the server's WebSocket pings; the feed sends heartbeats. */
    @Override
    public String ping(long id) {
        return null;
    }

    @Override
    public StreamDecoder newDecoder() {
        GeminiWsParser parser = new GeminiWsParser();
        return parser::parse;
    }

    @Override
    public Integrity integrity() {
        return Integrity.NONE;
    }
}
