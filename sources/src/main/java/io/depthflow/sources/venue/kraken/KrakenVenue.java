package io.depthflow.sources.venue.kraken;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.rest.RateLimit;
import io.depthflow.sources.venue.AbstractVenue;
import io.depthflow.sources.venue.BookChecksum;
import io.depthflow.sources.venue.Integrity;
import io.depthflow.sources.venue.StreamDecoder;
import io.depthflow.sources.ws.StreamMessage;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Kraken: REST {@code GET /0/public/Depth?pair=XBTUSD&count=500} ({@link KrakenBookParser}) and the
 * WebSocket v2 {@code book} channel ({@link KrakenWsParser}) whose CRC32 of the top 10 levels is
 * the integrity check ({@link KrakenChecksum}); a failed book is unsubscribed and subscribed again
 * for a fresh snapshot; an application-level {@code ping} keeps the connection alive. See
 * exchanges.md §4 and §5.
 */
@PublicEvolving
public final class KrakenVenue extends AbstractVenue {

    public static final String NAME = "kraken";

    public static final String REST_URL = "https://api.kraken.com";
    public static final String WS_URL = "wss://ws.kraken.com/v2";
    public static final List<Integer> DEPTHS = List.of(10, 25, 100, 500, 1000);

    /**
     * Kraken Pro spot, $0–$10K tier, taker 0.40 % (maker 0.25 %),
     * https://www.kraken.com/features/fee-schedule. Not confirmed from here: the only stored copies
     * are third-party pages still showing Kraken's older first tier, taker 0.26 % (e.g.
     * https://ablison.com/how-much-is-kraken-pro). Looked up 2026-12-06.
     */
    static final String TAKER_FEE_BPS = "40";

    /** 0.5/s, burst 1: Kraken's public call counter decays by 1 every 2 s. */
    static final RateLimit RATE_LIMIT = new RateLimit(0.5, 1);

    /** Declared after the constants its constructor reads. */
    public static final KrakenVenue INSTANCE = new KrakenVenue();

    private KrakenVenue() {
        super(
                NAME,
                TAKER_FEE_BPS,
                REST_URL,
                RATE_LIMIT,
                WS_URL,
                Integrity.CHECKSUM,
                KrakenRestDialect.INSTANCE,
                KrakenStreamDialect.INSTANCE);
    }

    // ---- REST ------------------------------------------------------------------------------

    /** Kraken's Depth call takes {@code count} 1 to 500. */
    @Override
    public int maxDepthCount() {
        return 500;
    }

    /** {@code {base}/0/public/Depth?pair=XBTUSD&count=N}. */
    @Override
    public URI bookUri(String baseUrl, String market, int depthCount) {
        return URI.create(
                baseUrl
                        + "/0/public/Depth?pair="
                        + KrakenSymbols.restPair(market)
                        + "&count="
                        + depthCount);
    }

    @Override
    public OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        return KrakenBookParser.parse(raw);
    }

    @Override
    public String marketMismatch(String market, String payload) {
        String pair = KrakenBookParser.resultPair(payload);
        String mismatch = pair == null ? null : KrakenBookParser.pairMismatch(market, pair);
        return mismatch == null ? null : "kraken " + mismatch;
    }

    // ---- WebSocket --------------------------------------------------------------------------

    @Override
    public List<Integer> depths() {
        return DEPTHS;
    }

    @Override
    public int defaultDepth() {
        return 10;
    }

    @Override
    public int bookDepth() {
        return DEPTH_FROM_ACK;
    }

    @Override
    public List<String> subscribe(List<String> markets, int depth) {
        return List.of(request("subscribe", markets, depth));
    }

    /** Unsubscribe and subscribe again: the new subscription starts with a snapshot. */
    @Override
    public List<String> resubscribe(String market, int depth, StreamDecoder decoder) {
        return List.of(
                request("unsubscribe", List.of(market), depth),
                request("subscribe", List.of(market), depth));
    }

    private static String request(String method, List<String> markets, int depth) {
        String symbols = markets.stream().map(m -> '"' + m + '"').collect(Collectors.joining(","));
        return "{\"method\":\""
                + method
                + "\",\"params\":{\"channel\":\"book\",\"symbol\":["
                + symbols
                + "],\"depth\":"
                + depth
                + ("subscribe".equals(method) ? ",\"snapshot\":true" : "")
                + "}}";
    }

    /** "Servers close inactive connections after approximately one minute." */
    @Override
    public String ping(long id) {
        return "{\"method\":\"ping\",\"req_id\":" + id + "}";
    }

    /** Kraken's messages carry one symbol each; another market's book message becomes OTHER. */
    @Override
    public StreamDecoder newDecoder() {
        KrakenWsParser parser = new KrakenWsParser();
        return (payload, market, into) -> {
            parser.parse(payload, into);
            if (market != null && into.isBook() && !market.equals(into.market())) {
                into.levelCount = 0;
                into.type = StreamMessage.Type.OTHER;
            }
        };
    }

    @Override
    public BookChecksum newChecksum() {
        return new KrakenChecksum();
    }
}
