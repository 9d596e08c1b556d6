package io.depthflow.sources.ws;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Objects;

/** The enumerator's checkpoint: the splits not assigned to a reader yet. */
@Internal
public final class WsBookEnumState {

    private final List<WsBookSplit> unassigned;

    public WsBookEnumState(List<WsBookSplit> unassigned) {
        this.unassigned = List.copyOf(unassigned);
    }

    public List<WsBookSplit> unassigned() {
        return unassigned;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WsBookEnumState && unassigned.equals(((WsBookEnumState) o).unassigned);
    }

    @Override
    public int hashCode() {
        return Objects.hash(unassigned);
    }

    @Override
    public String toString() {
        return "WsBookEnumState{unassigned=" + unassigned + '}';
    }
}
