package io.depthflow.sources.venue.gemini;

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
 * Gemini: REST {@code GET /v1/book/btcusd?limit_bids=0&limit_asks=0} ({@link GeminiBookParser}) and
 * the market data v2 {@code l2} feed ({@link GeminiWsParser}), whose first message per symbol is
 * the whole book. The feed has no sequence number and no checksum ({@link Integrity#NONE}): a book
 * heals only with a new subscription, which every reconnection (stale feed, disconnect) brings. See
 * {@link Gemini} and this package's README.
 */
@PublicEvolving
public final class GeminiVenue extends AbstractVenue {

    public static final String NAME = Gemini.NAME;

    /**
     * Gemini ActiveTrader, first tier (30-day volume 0), taker 0.35 % (maker 0.25 %),
     * https://gemini.com/fees/activetrader-fee-schedule ("Last Modified September 23, 2020", the
     * newest copy stored). Looked up 2026-12-06.
     */
    static final String TAKER_FEE_BPS = "35";

    /**
     * "we limit requests to 120 requests per minute, and recommend that you not exceed 1 request
     * per second".
     */
    static final RateLimit RATE_LIMIT = new RateLimit(1.0, 1);

    /** Declared after the constants its constructor reads. */
    public static final GeminiVenue INSTANCE = new GeminiVenue();

    private GeminiVenue() {
        super(
                NAME,
                TAKER_FEE_BPS,
                Gemini.REST_URL,
                RATE_LIMIT,
                Gemini.WS_URL,
                Integrity.NONE,
                new GeminiRestDialect(),
                new GeminiStreamDialect());
    }

    // ---- REST ------------------------------------------------------------------------------

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
    public List<String> subscribe(List<String> markets, int depth) {
        return List.of(Gemini.subscribe(markets));
    }

    /** Unsubscribe and subscribe again: the next message with {@code trades} is the whole book. */
    @Override
    public List<String> resubscribe(String market, int depth, StreamDecoder decoder) {
        return List.of(Gemini.unsubscribe(List.of(market)), Gemini.subscribe(List.of(market)));
    }

    @Override
    public StreamDecoder newDecoder() {
        GeminiWsParser parser = new GeminiWsParser();
        return parser::parse;
    }
}
