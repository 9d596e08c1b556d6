package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.venue.StreamDecoder;
import io.depthflow.sources.venue.Venues;

import java.util.HashMap;
import java.util.Map;

/**
 * Decodes the WebSocket messages of any registered venue (its {@link StreamDecoder}) into a reused
 * {@link StreamMessage}. One instance per thread.
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

    private final Map<String, StreamDecoder> decoders = new HashMap<>();

    /**
     * @param market keep only this market's levels (a message may carry several); null keeps all
     */
    public void parse(String exchange, String payload, String market, StreamMessage into)
            throws BookParseException {
        StreamDecoder decoder = decoders.get(exchange);
        if (decoder == null) {
            if (!Venues.contains(exchange)) {
                throw new BookParseException(
                        IngestError.MALFORMED, "no stream parser for exchange '" + exchange + "'");
            }
            decoder = Venues.get(exchange).stream().newDecoder();
            decoders.put(exchange, decoder);
        }
        decoder.decode(payload, market, into);
    }
}
