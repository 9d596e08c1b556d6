package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.model.RawMessage;

/**
 * What one HTTP request produced: the raw message to emit (a response of any status, or a transport
 * failure), its real latency, whether it is worth retrying (transport failure, 429, 5xx) and the
 * server's {@code Retry-After} in real ms (0 when none).
 */
@Internal
public final class PollOutcome {

    private final RawMessage message;
    private final long latencyMs;
    private final long retryAfterMs;

    PollOutcome(RawMessage message, long latencyMs, long retryAfterMs) {
        this.message = message;
        this.latencyMs = latencyMs;
        this.retryAfterMs = retryAfterMs;
    }

    public RawMessage message() {
        return message;
    }

    public long latencyMs() {
        return latencyMs;
    }

    public long retryAfterMs() {
        return retryAfterMs;
    }

    /** No response, or a status other than 200. */
    public boolean failed() {
        return !message.hasResponse() || message.httpStatus != 200;
    }

    public boolean retryable() {
        return !message.hasResponse() || message.httpStatus == 429 || message.httpStatus >= 500;
    }

    /** {@code HTTP 503} or the transport error, for log lines. */
    public String describe() {
        return message.hasResponse() ? "HTTP " + message.httpStatus : message.error;
    }
}
