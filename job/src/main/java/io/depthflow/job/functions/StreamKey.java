package io.depthflow.job.functions;

import org.apache.flink.api.java.functions.KeySelector;

import io.depthflow.sources.model.RawMessage;

/**
 * Keys stream messages by {@code exchange|market}, as {@link BookKey} keys books (String keys never
 * evolve).
 */
public final class StreamKey implements KeySelector<RawMessage, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(RawMessage message) {
        return BookKey.of(message.exchange, message.market);
    }
}
