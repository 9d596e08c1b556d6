package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Assigns the fixed set of (exchange, market) splits to readers, round-robin by position: the split
 * at index {@code i} of the configured order (exchanges x markets) belongs to subtask {@code i mod
 * parallelism}. The owner is a pure function of the split, so a split handed back after a failure
 * returns to the same subtask when it registers again, and the load stays balanced.
 *
 * <p>Lifecycle (every method runs in the source coordinator thread, so there is no locking):
 *
 * <ol>
 *   <li>Created by {@link RestBookSource#createEnumerator} with all splits unassigned (first poll
 *       at the next grid tick, stop time = now + duration), or by {@link
 *       RestBookSource#restoreEnumerator} with the unassigned splits of a checkpoint.
 *   <li>{@link #addReader}: a reader registered; it gets the unassigned splits it owns, then
 *       no-more-splits (the split set is static), so a reader without splits finishes at once and a
 *       bounded reader finishes when its splits have.
 *   <li>{@link #addSplitsBack}: a reader failed before checkpointing some assignments; those splits
 *       become unassigned and go back to their owner now if it is registered, else when it
 *       registers again.
 *   <li>{@link #snapshotState}: the unassigned splits. Assigned ones are checkpointed by readers.
 * </ol>
 */
@Internal
public final class RestBookEnumerator implements SplitEnumerator<RestBookSplit, RestBookEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(RestBookEnumerator.class);

    private final SplitEnumeratorContext<RestBookSplit> context;
    private final RestPollConfig config;
    private final List<RestBookSplit> unassigned;

    public RestBookEnumerator(
            SplitEnumeratorContext<RestBookSplit> context,
            RestPollConfig config,
            List<RestBookSplit> unassigned) {
        this.context = context;
        this.config = config;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {
        LOG.info(
                "REST book enumerator started with {} unassigned splits for {} readers",
                unassigned.size(),
                context.currentParallelism());
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed on registration; readers never ask.
    }

    @Override
    public void addSplitsBack(List<RestBookSplit> splits, int subtaskId) {
        LOG.info("{} splits handed back by subtask {}", splits.size(), subtaskId);
        unassigned.addAll(splits);
        if (context.registeredReaders().containsKey(subtaskId)) {
            assignTo(subtaskId);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignTo(subtaskId);
        context.signalNoMoreSplits(subtaskId);
    }

    private void assignTo(int subtaskId) {
        List<RestBookSplit> owned = new ArrayList<>();
        for (Iterator<RestBookSplit> it = unassigned.iterator(); it.hasNext(); ) {
            RestBookSplit split = it.next();
            if (owner(split) == subtaskId) {
                owned.add(split);
                it.remove();
            }
        }
        for (RestBookSplit split : owned) {
            context.assignSplit(split, subtaskId);
        }
        LOG.info("Assigned {} to subtask {}", owned, subtaskId);
    }

    private int owner(RestBookSplit split) {
        int index = 0;
        for (String exchange : config.exchanges()) {
            for (String market : config.markets()) {
                if (exchange.equals(split.exchange()) && market.equals(split.market())) {
                    return index % context.currentParallelism();
                }
                index++;
            }
        }
        // A split restored from a checkpoint whose configuration listed other markets.
        return Math.floorMod(split.splitId().hashCode(), context.currentParallelism());
    }

    @Override
    public RestBookEnumState snapshotState(long checkpointId) {
        return new RestBookEnumState(unassigned);
    }

    @Override
    public void close() {
        LOG.info("REST book enumerator closed");
    }
}
