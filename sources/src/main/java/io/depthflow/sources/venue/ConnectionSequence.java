package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Gap detection on one WebSocket connection's sequence numbers, message by message in arrival
 * order. One instance per connection (the source's and the job's {@code ConnectionTracker}'s).
 */
@PublicEvolving
public interface ConnectionSequence {

    /** What one sequence number means. */
    enum Verdict {
        /** The next number, or a message without one. */
        IN_ORDER,
        /** The first number seen, or a counter that started over (a new connection). */
        RESTART,
        /** Numbers were skipped: {@link #missing()} messages were lost. */
        GAP,
        /** An old or repeated number: ignore the message. */
        OUT_OF_ORDER
    }

    /** Checks {@code sequence} ({@code -1}: the message has none). */
    Verdict accept(long sequence);

    /** Messages lost before the last {@link Verdict#GAP}. */
    long missing();

    /** The last accepted number, -1 before any. */
    long last();

    /** Forgets the connection (a new one starts). */
    void reset();
}
