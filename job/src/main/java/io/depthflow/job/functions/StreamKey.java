package io.depthflow.job.functions;

import org.apache.flink.api.java.functions.KeySelector;

import io.depthflow.sources.ws.BookEvent;

/**
 * Keys the stream's book events by {@code exchange|market}, as {@link BookKey} keys books (String
 * keys never evolve).
 */
public final class StreamKey implements KeySelector<BookEvent, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(BookEvent message) {
        return BookKey.of(message.exchange, message.market);
    }
}
