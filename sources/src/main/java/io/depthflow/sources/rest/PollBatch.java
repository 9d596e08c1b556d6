package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Set;

/** What one {@link BookPoller#poll()} returns: results in completion order and finished splits. */
@Internal
public final class PollBatch {

    private final List<PollResult> results;
    private final Set<String> finishedSplits;

    PollBatch(List<PollResult> results, Set<String> finishedSplits) {
        this.results = results;
        this.finishedSplits = finishedSplits;
    }

    public List<PollResult> results() {
        return results;
    }

    public Set<String> finishedSplits() {
        return finishedSplits;
    }
}
