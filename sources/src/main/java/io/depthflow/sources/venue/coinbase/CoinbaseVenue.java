package io.depthflow.sources.venue.coinbase;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.StrictJson;
import io.depthflow.sources.rest.RateLimit;
import io.depthflow.sources.venue.AbstractVenue;
import io.depthflow.sources.venue.ConnectionSequence;
import io.depthflow.sources.venue.Integrity;
import io.depthflow.sources.venue.StreamDecoder;

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
public final class CoinbaseVenue extends AbstractVenue {

    public static final String NAME = "coinbase";

    public static final String REST_URL = "https://api.exchange.coinbase.com";
    public static final String WS_URL = "wss://advanced-trade-ws.coinbase.com";

    /**
     * Coinbase Exchange / Advanced, $0–$10K tier, taker 60 bps (maker 40). Rules:
     * https://help.coinbase.com/en/coinbase/trading-and-funding/advanced-trade/advanced-trade-fees
     * (the stored copy states the maker-taker model, not the numbers); the tier table as reproduced
     * at https://support.goldenclick.ai/exchange-trading-fees/coinbase-trading-fees (undated).
     * Looked up 2026-12-06.
     */
    static final String TAKER_FEE_BPS = "60";

    /** 5/s, burst 5: within Coinbase Exchange's documented public limit (10/s per IP). */
    static final RateLimit RATE_LIMIT = new RateLimit(5.0, 5);

    /** Declared after the constants its constructor reads. */
    public static final CoinbaseVenue INSTANCE = new CoinbaseVenue();

    private CoinbaseVenue() {
        super(
                NAME,
                TAKER_FEE_BPS,
                REST_URL,
                RATE_LIMIT,
                WS_URL,
                Integrity.SEQUENCE,
                CoinbaseRestDialect.INSTANCE,
                CoinbaseStreamDialect.INSTANCE);
    }

    // ---- REST ------------------------------------------------------------------------------

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

    // ---- WebSocket (a gap restarts the connection; the heartbeats channel keeps it alive) ----

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

    @Override
    public StreamDecoder newDecoder() {
        CoinbaseWsParser parser = new CoinbaseWsParser();
        return parser::parse;
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
