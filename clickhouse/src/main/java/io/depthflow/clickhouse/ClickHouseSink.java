package io.depthflow.clickhouse;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import io.depthflow.clickhouse.internal.ClickHouseSinkWriter;
import io.depthflow.clickhouse.internal.NoCommittable;
import io.depthflow.clickhouse.internal.PendingRow;
import io.depthflow.clickhouse.internal.PendingRowStateSerializer;
import io.depthflow.clickhouse.internal.TableSpec;

import java.util.Collection;
import java.util.List;

/**
 * A sink into one ClickHouse table that rides out ClickHouse outages, built on Flink's async sink
 * ({@link AsyncSinkBase}); create it through {@link ClickHouseSinks}. What it does while ClickHouse
 * is down, and what bounds its buffer, is described in {@link ClickHouseSinks}.
 */
@PublicEvolving
public final class ClickHouseSink<T> extends AsyncSinkBase<T, PendingRow<T>>
        implements SupportsCommitter<NoCommittable> {

    private static final long serialVersionUID = 1L;

    private final TableSpec<T> spec;
    private final ClickHouseSinkOptions options;

    ClickHouseSink(TableSpec<T> spec, ClickHouseSinkOptions options) {
        super(
                new Buffering<>(),
                options.batchSize(),
                1,
                options.maxBufferedRows(),
                options.maxBufferedBytes(),
                Math.max(1, options.batchIntervalMs()),
                options.maxBufferedBytes());
        this.spec = spec;
        this.options = options;
    }

    /** The table this sink writes. */
    public String table() {
        return spec.table();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<PendingRow<T>>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<PendingRow<T>>> states) {
        return new ClickHouseSinkWriter<>(spec, options, getElementConverter(), context, states);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<PendingRow<T>>>
            getWriterStateSerializer() {
        return new PendingRowStateSerializer<>(spec.type());
    }

    /**
     * An idle committer stage, kept so that savepoints of releases that ran {@code JdbcSink} under
     * the same uids restore (see {@link NoCommittable}).
     */
    @Override
    public Committer<NoCommittable> createCommitter(CommitterInitContext context) {
        return new NoCommittable.NoOpCommitter();
    }

    @Override
    public SimpleVersionedSerializer<NoCommittable> getCommittableSerializer() {
        return new NoCommittable.Serializer();
    }

    /** A row enters the buffer with the time it arrived. */
    private static final class Buffering<T> implements ElementConverter<T, PendingRow<T>> {
        private static final long serialVersionUID = 1L;

        @Override
        public PendingRow<T> apply(T element, SinkWriter.Context context) {
            return new PendingRow<>(element, System.currentTimeMillis());
        }
    }
}
