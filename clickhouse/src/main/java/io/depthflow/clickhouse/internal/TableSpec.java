package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * What a ClickHouse sink needs to know about its table: the INSERT and binder of {@link RowBinders}
 * (the one place where columns, values and version are bound), the model class (for the
 * checkpointed state) and an estimate of a row's size (for the buffer's byte bound).
 */
@Internal
public final class TableSpec<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Binds one model object to the INSERT's parameters, as the methods of {@link RowBinders}. */
    @FunctionalInterface
    public interface Binder<T> extends Serializable {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /** Estimated bytes of one row in the buffer and in the INSERT. */
    @FunctionalInterface
    public interface SizeEstimate<T> extends Serializable {
        long bytes(T row);
    }

    private final String table;
    private final String sql;
    private final Binder<T> binder;
    private final Class<T> type;
    private final SizeEstimate<T> size;

    public TableSpec(
            String table, String sql, Binder<T> binder, Class<T> type, SizeEstimate<T> size) {
        this.table = table;
        this.sql = sql;
        this.binder = binder;
        this.type = type;
        this.size = size;
    }

    public String table() {
        return table;
    }

    public String sql() {
        return sql;
    }

    public Binder<T> binder() {
        return binder;
    }

    public Class<T> type() {
        return type;
    }

    public SizeEstimate<T> size() {
        return size;
    }
}
