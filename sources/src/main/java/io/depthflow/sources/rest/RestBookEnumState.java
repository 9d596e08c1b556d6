package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Objects;

/**
 * The enumerator's checkpoint: the splits not assigned to any reader yet. Assigned splits live in
 * the readers' state, so a restore does not create them again.
 */
@Internal
public final class RestBookEnumState {

    private final List<RestBookSplit> unassigned;

    public RestBookEnumState(List<RestBookSplit> unassigned) {
        this.unassigned = List.copyOf(unassigned);
    }

    public List<RestBookSplit> unassigned() {
        return unassigned;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestBookEnumState
                && unassigned.equals(((RestBookEnumState) o).unassigned);
    }

    @Override
    public int hashCode() {
        return Objects.hash(unassigned);
    }

    @Override
    public String toString() {
        return "RestBookEnumState{unassigned=" + unassigned + '}';
    }
}
