package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * The reader's poll metrics, on the reader's metric group and again under {@code exchange.<name>}:
 * counters {@code polls} (HTTP requests completed, retries included) and {@code pollFailures} (no
 * response or status other than 200), gauge {@code lastPollLatencyMs} (real time of the last
 * request). Updated by the fetcher thread only.
 */
@Internal
public final class RestBookReaderMetrics implements PollListener {

    public static final String POLLS = "polls";
    public static final String POLL_FAILURES = "pollFailures";
    public static final String LAST_POLL_LATENCY_MS = "lastPollLatencyMs";
    public static final String EXCHANGE_GROUP = "exchange";

    private final MetricGroup group;
    private final Metrics total;
    private final Map<String, Metrics> perExchange = new HashMap<>();

    public RestBookReaderMetrics(MetricGroup group) {
        this.group = group;
        this.total = new Metrics(group);
    }

    @Override
    public void onPoll(String exchange, long latencyMs, boolean failed) {
        total.record(latencyMs, failed);
        perExchange
                .computeIfAbsent(exchange, e -> new Metrics(group.addGroup(EXCHANGE_GROUP, e)))
                .record(latencyMs, failed);
    }

    private static final class Metrics {
        final Counter polls;
        final Counter failures;
        volatile long lastLatencyMs = -1;

        Metrics(MetricGroup group) {
            polls = group.counter(POLLS);
            failures = group.counter(POLL_FAILURES);
            group.gauge(LAST_POLL_LATENCY_MS, () -> lastLatencyMs);
        }

        void record(long latencyMs, boolean failed) {
            polls.inc();
            if (failed) {
                failures.inc();
            }
            lastLatencyMs = latencyMs;
        }
    }
}
