package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collection;

/**
 * The committable of a ClickHouse sink, of which there is never one: the sink keeps an (idle)
 * committer stage only because earlier releases ran the Flink JDBC connector's {@code JdbcSink}
 * under the same operator uids, and that sink has a committer whose (empty, at least once) state is
 * in every savepoint they took. Without an operator to take that state, such a savepoint would not
 * restore without {@code --allowNonRestoredState}. See DECISIONS.md.
 */
@Internal
public final class NoCommittable implements Serializable {

    private static final long serialVersionUID = 1L;

    private NoCommittable() {}

    /** A committer with nothing to commit. */
    public static final class NoOpCommitter implements Committer<NoCommittable> {
        @Override
        public void commit(Collection<CommitRequest<NoCommittable>> requests) {
            // the writer never emits a committable
        }

        @Override
        public void close() {}
    }

    /**
     * Reads nothing: at least once, {@code JdbcSink}'s committer state held no committables, so
     * this serializer is never asked to read one (an exactly-once {@code JdbcSink} state is not
     * supported and fails here, loudly).
     */
    public static final class Serializer implements SimpleVersionedSerializer<NoCommittable> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(NoCommittable obj) {
            return new byte[0];
        }

        @Override
        public NoCommittable deserialize(int version, byte[] serialized) throws IOException {
            throw new IOException(
                    "A ClickHouse sink has no committables; this state holds one (an exactly-once"
                            + " JdbcSink's XA transaction?), which this release cannot commit");
        }
    }
}
