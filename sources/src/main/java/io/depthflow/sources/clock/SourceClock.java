package io.depthflow.sources.clock;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * The clock that gives sources their notion of time: the {@code received_at} (event time) of every
 * message, the poll grid, the source's duration and retry backoffs are all read from it. Shipped to
 * the cluster with the source, hence {@link Serializable}.
 *
 * <p>{@link SystemClock} is wall-clock time. {@link AcceleratedClock} runs faster than real time so
 * that tests and demos cover minutes of event time in seconds; the two conversion methods let a
 * caller that must wait (in real time) for a clock instant compute how long to sleep.
 */
@PublicEvolving
public interface SourceClock extends Serializable {

    /** Now, in UTC epoch milliseconds of this clock. */
    long currentTimeMillis();

    /** Real milliseconds that pass while this clock advances {@code clockMillis} (rounded up). */
    default long toRealMillis(long clockMillis) {
        return clockMillis;
    }

    /** Clock milliseconds that pass during {@code realMillis} of real time. */
    default long fromRealMillis(long realMillis) {
        return realMillis;
    }

    /** The wall clock. */
    static SourceClock system() {
        return SystemClock.INSTANCE;
    }
}
