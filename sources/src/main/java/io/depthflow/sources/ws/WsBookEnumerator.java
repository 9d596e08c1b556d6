package io.depthflow.sources.ws;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Assigns the fixed set of per-exchange feeds to readers: the feed at index {@code i} of the
 * configured order belongs to subtask {@code i mod parallelism}, so a feed handed back after a
 * failure returns to the same subtask.
 *
 * <p>Lifecycle (every method runs in the source coordinator thread):
 *
 * <ol>
 *   <li>Created with every feed unassigned ({@link WsBookSource#createEnumerator}), or with the
 *       unassigned feeds of a checkpoint.
 *   <li>{@link #addReader}: the reader gets the feeds it owns, then no-more-splits (the set is
 *       static); a reader without feeds finishes at once.
 *   <li>{@link #addSplitsBack}: a failed reader's feeds become unassigned and go back to their
 *       owner when it registers again.
 *   <li>{@link #snapshotState}: the unassigned feeds, and the ids of the assigned ones (their
 *       settings are in the readers' state).
 * </ol>
 */
@Internal
public final class WsBookEnumerator implements SplitEnumerator<WsBookSplit, WsBookEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(WsBookEnumerator.class);

    private final SplitEnumeratorContext<WsBookSplit> context;
    private final List<String> order;
    private final List<WsBookSplit> unassigned;
    private final Set<String> assigned;

    /**
     * @param order the configured exchange order, which fixes each feed's owner
     * @param assigned ids of the splits readers hold already (restored), none for a new job
     */
    public WsBookEnumerator(
            SplitEnumeratorContext<WsBookSplit> context,
            List<String> order,
            List<WsBookSplit> unassigned,
            Set<String> assigned) {
        this.context = context;
        this.order = List.copyOf(order);
        this.unassigned = new ArrayList<>(unassigned);
        this.assigned = new HashSet<>(assigned);
    }

    @Override
    public void start() {
        LOG.info("WebSocket book enumerator started with {} unassigned feeds", unassigned.size());
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Feeds are pushed on registration.
    }

    @Override
    public void addSplitsBack(List<WsBookSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        splits.forEach(s -> assigned.remove(s.splitId()));
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
        for (Iterator<WsBookSplit> it = unassigned.iterator(); it.hasNext(); ) {
            WsBookSplit split = it.next();
            int index = order.indexOf(split.splitId());
            int owner =
                    Math.floorMod(
                            index < 0 ? split.splitId().hashCode() : index,
                            context.currentParallelism());
            if (owner == subtaskId) {
                it.remove();
                assigned.add(split.splitId());
                context.assignSplit(split, subtaskId);
                LOG.info("Assigned {} to subtask {}", split, subtaskId);
            }
        }
    }

    @Override
    public WsBookEnumState snapshotState(long checkpointId) {
        return new WsBookEnumState(unassigned, assigned);
    }

    @Override
    public void close() {}
}
