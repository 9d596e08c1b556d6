package io.depthflow.sources.ws;

import io.depthflow.sources.coinbase.CoinbaseWsParser;
import io.depthflow.sources.kraken.KrakenWsParser;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.parse.BookParseException;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Parses the WebSocket messages of either exchange ({@link KrakenWsParser}, {@link
 * CoinbaseWsParser}) into a reused {@link StreamMessage}. One instance per thread.
 *
 * <pre>{@code
 * StreamParsers parsers = new StreamParsers();
 * StreamMessage m = new StreamMessage();
 * try {
 *     parsers.parse(raw.exchange, raw.payload, raw.market, m);
 * } catch (BookParseException e) {
 *     ctx.output(ERRORS, e.toIngestError(raw));
 * }
 * }</pre>
 */
@PublicEvolving
public final class StreamParsers {

    private final KrakenWsParser kraken = new KrakenWsParser();
    private final CoinbaseWsParser coinbase = new CoinbaseWsParser();

    /**
     * @param market keep only this market's levels (Coinbase messages may carry several
     *     products; Kraken's carry one); null keeps all
     */
    public void parse(String exchange, String payload, String market, StreamMessage into)
            throws BookParseException {
        if (Exchanges.KRAKEN.equals(exchange)) {
            kraken.parse(payload, into);
            if (market != null && into.isBook() && !market.equals(into.market())) {
                into.levelCount = 0;
                into.type = StreamMessage.Type.OTHER;
            }
        } else if (Exchanges.COINBASE.equals(exchange)) {
            coinbase.parse(payload, market, into);
        } else {
            throw new BookParseException(IngestError.MALFORMED, "no stream parser for exchange '" + exchange + "'");
        }
    }
}
