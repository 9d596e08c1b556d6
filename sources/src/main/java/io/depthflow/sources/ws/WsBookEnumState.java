package io.depthflow.sources.ws;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The enumerator's checkpoint: the splits not assigned to a reader yet, and the ids of those that
 * are (their settings live in the readers' state). Knowing both, a restored enumerator can tell a
 * feed the new job adds from one a reader already owns. The assigned ids are unknown (null) in a
 * state of format version 1.
 */
@Internal
public final class WsBookEnumState {

    private final List<WsBookSplit> unassigned;
    private final Set<String> assigned;

    public WsBookEnumState(List<WsBookSplit> unassigned, Set<String> assigned) {
        this.unassigned = List.copyOf(unassigned);
        this.assigned = assigned == null ? null : Set.copyOf(assigned);
    }

    public List<WsBookSplit> unassigned() {
        return unassigned;
    }

    /** Ids of the splits assigned to readers; null when the state does not say (version 1). */
    public Set<String> assigned() {
        return assigned;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WsBookEnumState
                && unassigned.equals(((WsBookEnumState) o).unassigned)
                && Objects.equals(assigned, ((WsBookEnumState) o).assigned);
    }

    @Override
    public int hashCode() {
        return Objects.hash(unassigned, assigned);
    }

    @Override
    public String toString() {
        return "WsBookEnumState{unassigned=" + unassigned + ", assigned=" + assigned + '}';
    }
}
