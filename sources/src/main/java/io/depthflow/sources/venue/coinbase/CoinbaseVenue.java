package io.depthflow.sources.venue.coinbase;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.StrictJson;
import io.depthflow.sources.rest.RateLimit;
import io.depthflow.sources.simulator.RestDialect;
import io.depthflow.sources.simulator.StreamDialect;
import io.depthflow.sources.venue.ConnectionSequence;
import io.depthflow.sources.venue.Integrity;
import io.depthflow.sources.venue.RestProtocol;
import io.depthflow.sources.venue.StreamDecoder;
import io.depthflow.sources.venue.StreamProtocol;
import io.depthflow.sources.venue.Venue;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Coinbase: Exchange REST {@code GET /products/BTC-USD/book?level=2} ({@link CoinbaseBookParser})
 * and the Advanced Trade WebSocket {@code level2} channel ({@link CoinbaseWsParser}), whose
 * envelope {@code sequence_num} is the integrity check ({@link CoinbaseSequence}). See exchanges.md
 * §2 and §3.
 */
@PublicEvolving
public final class CoinbaseVenue implements Venue, RestProtocol, StreamProtocol {

    public static final String NAME = "coinbase";
    public static final CoinbaseVenue INSTANCE = new CoinbaseVenue();

    public static final String REST_URL = "https://api.exchange.coinbase.com";
    public static final String WS_URL = "wss://advanced-trade-ws.coinbase.com";

    private CoinbaseVenue() {}

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Coinbase Exchange / Advanced, $0–$10K tier, taker 60 bps (maker 40). Rules:
     * https://help.coinbase.com/en/coinbase/trading-and-funding/advanced-trade/advanced-trade-fees
     * (the stored copy states the maker-taker model, not the numbers); the tier table as reproduced
     * at https://support.goldenclick.ai/exchange-trading-fees/coinbase-trading-fees (undated).
     * Looked up 2026-12-06.
     */
    @Override
    public String baseTierTakerFeeBps() {
        return "60";
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
        return CoinbaseRestDialect.INSTANCE;
    }

    @Override
    public StreamDialect streamDialect() {
        return CoinbaseStreamDialect.INSTANCE;
    }

    // ---- REST ------------------------------------------------------------------------------

    @Override
    public String defaultBaseUrl() {
        return REST_URL;
    }

    /** 5/s, burst 5: within Coinbase Exchange's documented public limit (10/s per IP). */
    @Override
    public RateLimit defaultRateLimit() {
        return new RateLimit(5.0, 5);
    }

    /** {@code {base}/products/BTC-USD/book?level=2}: the full aggregated book. */
    @Override
    public URI bookUri(String baseUrl, String market, int depthCount) {
        return URI.create(
                baseUrl + "/products/" + CoinbaseSymbols.productId(market) + "/book?level=2");
    }

    @Override
    public OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        return CoinbaseBookParser.parse(raw);
    }

    @Override
    public String marketMismatch(String market, String payload) {
        String product = StrictJson.topLevelString(payload, "product_id");
        String expected = CoinbaseSymbols.productId(market);
        if (product != null && !product.equals(expected)) {
            return "market "
                    + market
                    + " but the payload is the book of product_id \""
                    + product
                    + "\" (expected "
                    + expected
                    + ")";
        }
        return null;
    }

    // ---- WebSocket --------------------------------------------------------------------------

    @Override
    public String defaultUrl() {
        return WS_URL;
    }

    @Override
    public List<Integer> depths() {
        return List.of();
    }

    @Override
    public int defaultDepth() {
        return 0;
    }

    @Override
    public int bookDepth() {
        return DEPTH_UNLIMITED;
    }

    /** {@code level2} for every product, and {@code heartbeats} to keep the subscriptions alive. */
    @Override
    public List<String> subscribe(List<String> markets, int depth) {
        String products =
                markets.stream()
                        .map(m -> '"' + CoinbaseSymbols.productId(m) + '"')
                        .collect(Collectors.joining(","));
        return List.of(
                "{\"type\":\"subscribe\",\"product_ids\":["
                        + products
                        + "],\"channel\":\"level2\"}",
                "{\"type\":\"subscribe\",\"channel\":\"heartbeats\"}");
    }

    /** None: a gap restarts the connection. */
    @Override
    public List<String> resubscribe(String market, int depth, StreamDecoder decoder) {
        return List.of();
    }

    /** None: the heartbeats channel keeps the connection alive. */
    @Override
    public String ping(long id) {
        return null;
    }

    @Override
    public StreamDecoder newDecoder() {
        CoinbaseWsParser parser = new CoinbaseWsParser();
        return parser::parse;
    }

    @Override
    public Integrity integrity() {
        return Integrity.SEQUENCE;
    }

    @Override
    public ConnectionSequence newSequence() {
        return new CoinbaseSequence();
    }

    @Override
    public long peekSequence(String payload) {
        return CoinbaseWsParser.peekSequence(payload);
    }
}
