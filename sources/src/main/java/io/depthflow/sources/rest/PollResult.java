package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.model.RawMessage;

/**
 * One message to emit for a split, with the split's schedule position once it is emitted: the next
 * scheduled poll time and the scheduled polls done so far. The record emitter copies the position
 * into the split state, so checkpoints and emitted records agree.
 */
@Internal
public final class PollResult {

    private final String splitId;
    private final RawMessage message;
    private final long nextPollAt;
    private final int pollsDone;

    PollResult(String splitId, RawMessage message, long nextPollAt, int pollsDone) {
        this.splitId = splitId;
        this.message = message;
        this.nextPollAt = nextPollAt;
        this.pollsDone = pollsDone;
    }

    public String splitId() {
        return splitId;
    }

    public RawMessage message() {
        return message;
    }

    public long nextPollAt() {
        return nextPollAt;
    }

    public int pollsDone() {
        return pollsDone;
    }

    @Override
    public String toString() {
        return "PollResult{"
                + splitId
                + " "
                + message
                + " nextPollAt="
                + nextPollAt
                + " pollsDone="
                + pollsDone
                + "}";
    }
}
