package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.random.RandomGenerator;

/**
 * The arithmetic of the poll schedule, pure so that it can be tested alone: the interval grid of
 * the clock, full-jitter exponential backoff, and the {@code Retry-After} header.
 */
@Internal
public final class PollSchedule {

    /** A server asking for more than this is treated as asking for this much. */
    static final long MAX_RETRY_AFTER_MS = 600_000L;

    private PollSchedule() {}

    /** The first grid tick at or after {@code nowMs}: a multiple of {@code intervalMs}. */
    public static long firstTick(long nowMs, long intervalMs) {
        return Math.floorDiv(nowMs + intervalMs - 1, intervalMs) * intervalMs;
    }

    /** The first grid tick strictly after {@code nowMs}. */
    public static long tickAfter(long nowMs, long intervalMs) {
        return (Math.floorDiv(nowMs, intervalMs) + 1) * intervalMs;
    }

    /**
     * Full-jitter backoff: uniform in {@code [0, min(maxMs, initialMs * 2^(attempt-1))]} for
     * attempt 1, 2, ... Spreads retries of many clients instead of synchronizing them (the AWS
     * architecture blog's "Exponential Backoff And Jitter").
     */
    public static long backoff(int attempt, long initialMs, long maxMs, RandomGenerator random) {
        long cap = Math.min(initialMs, maxMs);
        for (int i = 1; i < attempt && cap < maxMs; i++) {
            cap = Math.min(maxMs, cap * 2);
        }
        return random.nextLong(Math.max(cap, 0) + 1);
    }

    /**
     * The wait asked by a {@code Retry-After} header, in real ms: delta-seconds or an HTTP-date
     * (RFC 9110 section 10.2.3), capped at 10 minutes; 0 when absent or unreadable.
     */
    public static long retryAfterMs(String header, long nowRealMs) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        String value = header.trim();
        try {
            return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Long.parseLong(value) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                long at =
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant()
                                .toEpochMilli();
                return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - nowRealMs));
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
    }
}
