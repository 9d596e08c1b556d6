package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.ws.StreamMessage;

/**
 * Reads a venue's WebSocket messages into a reused {@link StreamMessage}: type, markets, level
 * changes as exact decimals, and the integrity fields ({@code sequence}, {@code checksum}, {@code
 * depth} from an ack). One instance per thread or connection; may keep per-connection state (e.g.
 * Bitfinex's channel id to market map), but must decode any message whose market is given without
 * having seen its subscription (the job decodes messages market by market, after a restore).
 */
@PublicEvolving
public interface StreamDecoder {

    /**
     * Resets {@code into} and fills it from {@code payload}; throws {@link BookParseException}
     * ({@code malformed}) for a message that is not the documented shape.
     *
     * @param market keep only this market's levels (a message may carry several); null keeps all. A
     *     book message of another market comes out as {@code OTHER} without levels.
     */
    void decode(String payload, String market, StreamMessage into) throws BookParseException;
}
