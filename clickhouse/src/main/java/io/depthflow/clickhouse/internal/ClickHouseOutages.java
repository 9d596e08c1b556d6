package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What every ClickHouse sink writer of one JVM knows together about outages of one ClickHouse (its
 * JDBC URL), so that an outage is told once per JVM, not once per table and subtask: a job has
 * seven sinks at parallelism 2, which would be fourteen "unreachable" lines and fourteen "back"
 * lines for one restart of ClickHouse. The first writer that fails opens the outage (and logs it),
 * the reminder while it lasts is logged by whichever writer fails after the interval, and the last
 * writer to get through again closes it (and logs it); each writer's own details stay at INFO.
 *
 * <p>Thread-safe (writers run in different task threads); the state is a few entries per URL, and a
 * writer that closes during an outage leaves it, so nothing outlives the writers.
 */
@Internal
public final class ClickHouseOutages {

    private static final Map<String, Outage> OUTAGES = new HashMap<>();

    private ClickHouseOutages() {}

    private static final class Outage {
        final long sinceMs;
        final Set<Object> writersDown = new HashSet<>();
        long lastToldMs;

        Outage(long sinceMs) {
            this.sinceMs = sinceMs;
            this.lastToldMs = sinceMs;
        }
    }

    /**
     * {@code writer} could not write to {@code endpoint} at {@code nowMs}; true when that opens the
     * endpoint's outage (the caller tells it).
     */
    public static synchronized boolean down(String endpoint, Object writer, long nowMs) {
        Outage o = OUTAGES.get(endpoint);
        boolean opens = o == null;
        if (opens) {
            o = new Outage(nowMs);
            OUTAGES.put(endpoint, o);
        }
        o.writersDown.add(writer);
        return opens;
    }

    /**
     * The start of the outage of {@code endpoint} when it is at least {@code intervalMs} since it
     * was last told (the caller tells it again, and this counts as told); -1 otherwise.
     */
    public static synchronized long remindSince(String endpoint, long nowMs, long intervalMs) {
        Outage o = OUTAGES.get(endpoint);
        if (o == null || nowMs - o.lastToldMs < intervalMs) {
            return -1;
        }
        o.lastToldMs = nowMs;
        return o.sinceMs;
    }

    /**
     * {@code writer} wrote to {@code endpoint} again (or closed); the start of the outage when it
     * was the last writer down, which closes the outage (the caller tells it), and -1 otherwise.
     */
    public static synchronized long up(String endpoint, Object writer) {
        Outage o = OUTAGES.get(endpoint);
        if (o == null || !o.writersDown.remove(writer) || !o.writersDown.isEmpty()) {
            return -1;
        }
        OUTAGES.remove(endpoint);
        return o.sinceMs;
    }

    /** "1 min 43 s", "12 s", "2 h 5 min": a duration as a person reads it on a terminal. */
    public static String humanDuration(long ms) {
        Duration d = Duration.ofMillis(Math.max(0, ms));
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        if (h > 0) {
            return h + " h " + m + " min";
        }
        if (m > 0) {
            return m + " min " + s + " s";
        }
        return s + " s";
    }

    @VisibleForTesting
    static synchronized void reset() {
        OUTAGES.clear();
    }
}
