package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;

/**
 * The state a {@link ClickHouseSinkWriter} shares with its buffer and rate-limiting strategy:
 * whether a retry backoff is running, and whether the writer is draining at end of input. Used on
 * the task's mailbox thread only.
 */
@Internal
final class RetryGate {

    /** A failed INSERT's backoff has not elapsed yet: nothing may be sent. */
    boolean backingOff;

    /**
     * {@code flush(true)} at end of input: wait out backoffs inside the flush, do not hide rows.
     */
    boolean draining;

    /**
     * Whether the buffer hides its rows from {@code AsyncSinkWriter}: during a backoff, unless
     * draining. See {@link RetryGatedBuffer} for why hiding rather than blocking.
     */
    boolean holdsRows() {
        return backingOff && !draining;
    }
}
