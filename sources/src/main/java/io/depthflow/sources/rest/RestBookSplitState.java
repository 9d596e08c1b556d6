package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

/**
 * The reader's mutable view of a {@link RestBookSplit}, advanced by {@link RestBookRecordEmitter}
 * as records are emitted, so that a checkpoint holds the schedule position matching the emitted
 * records.
 */
@Internal
public final class RestBookSplitState {

    private final RestBookSplit initial;
    private long nextPollAt;
    private int pollsDone;

    public RestBookSplitState(RestBookSplit split) {
        this.initial = split;
        this.nextPollAt = split.nextPollAt();
        this.pollsDone = split.pollsDone();
    }

    void advance(long nextPollAt, int pollsDone) {
        this.nextPollAt = nextPollAt;
        this.pollsDone = pollsDone;
    }

    public RestBookSplit toSplit() {
        return new RestBookSplit(
                initial.exchange(), initial.market(), nextPollAt, pollsDone, initial.stopAt());
    }
}
