package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

/** Told about every HTTP request the poller completes; the Flink reader turns this into metrics. */
@Internal
public interface PollListener {

    PollListener NONE = (exchange, latencyMs, failed) -> {};

    /**
     * @param exchange the exchange polled
     * @param latencyMs real time from sending the request to its response or failure
     * @param failed no response, or a status other than 200
     */
    void onPoll(String exchange, long latencyMs, boolean failed);
}
