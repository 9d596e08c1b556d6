package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * The client-side integrity check of one connection's books, so that the connection can resubscribe
 * a market whose book failed (Kraken checksums need the whole book, which the job's book code
 * keeps; the job plugs it in through {@link Factory}). Called on the connection's thread, message
 * by message, in arrival order.
 */
@PublicEvolving
public interface BookVerifier {

    /**
     * A book message of {@code market}; false when that book failed its check (the connection then
     * resubscribes the market for a fresh snapshot).
     */
    boolean onBookMessage(String market, StreamMessage message);

    /** A subscribe ack with the subscribed depth. */
    void onSubscribed(String market, int depth);

    /** A new connection: every book starts over. */
    void reset();

    /** Creates one verifier per connection; shipped with the source, so serializable. */
    @FunctionalInterface
    interface Factory extends Serializable {
        BookVerifier create(String exchange);
    }
}
