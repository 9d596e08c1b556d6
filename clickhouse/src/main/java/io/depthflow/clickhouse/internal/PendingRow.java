package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.Objects;

/**
 * One row waiting in a ClickHouse sink's buffer: the model object and when it entered the buffer
 * (for the oldest-row-age metric; kept across restores, so the age includes downtime). {@code
 * Serializable} only because the async sink's type bound asks for it: state is written by {@link
 * PendingRowStateSerializer}, never by Java serialization.
 */
@Internal
public final class PendingRow<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never Java-serialized, see the class comment
    private final T row;

    private final long bufferedAtMs;

    public PendingRow(T row, long bufferedAtMs) {
        this.row = Objects.requireNonNull(row, "row");
        this.bufferedAtMs = bufferedAtMs;
    }

    public T row() {
        return row;
    }

    public long bufferedAtMs() {
        return bufferedAtMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingRow<?> p && p.bufferedAtMs == bufferedAtMs && p.row.equals(row);
    }

    @Override
    public int hashCode() {
        return Objects.hash(row, bufferedAtMs);
    }

    @Override
    public String toString() {
        return "PendingRow{" + row + ", bufferedAtMs=" + bufferedAtMs + '}';
    }
}
