package io.depthflow.job.io.kafka;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Stopping offsets of a bounded read: each partition's last stable offset when the job starts, i.e.
 * the end of what a {@code read_committed} consumer can read then.
 *
 * <p>{@link OffsetsInitializer#latest()} would stop at the log end offset, which lies beyond any
 * transaction still open at start (a writer between two checkpoints, or one that died with a
 * transaction open): a {@code read_committed} reader cannot pass that transaction until it is
 * committed or times out, so a bounded backfill would wait for it, up to the transaction timeout.
 * Stopping at the last stable offset never waits, and reads exactly the records committed when the
 * job started. Evaluated in the source's enumerator (on the JobManager), with its own admin client.
 */
final class CommittedEndOffsets implements OffsetsInitializer {

    private static final long serialVersionUID = 1L;

    private final Properties adminProperties;

    /**
     * @param adminProperties client settings of the cluster (at least {@code bootstrap.servers})
     */
    CommittedEndOffsets(Properties adminProperties) {
        this.adminProperties = new Properties();
        this.adminProperties.putAll(adminProperties);
    }

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(
            Collection<TopicPartition> partitions, PartitionOffsetsRetriever unused) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        try (Admin admin = Admin.create(adminProperties)) {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                    admin.listOffsets(
                                    request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all()
                            .get();
            Map<TopicPartition, Long> offsets = new HashMap<>();
            result.forEach((tp, info) -> offsets.put(tp, info.offset()));
            return offsets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRuntimeException(
                    "Interrupted while listing the last stable offsets of " + partitions, e);
        } catch (ExecutionException e) {
            throw new FlinkRuntimeException(
                    "Cannot list the last stable offsets of " + partitions, e.getCause());
        }
    }

    // The connector's interface still uses Kafka's deprecated OffsetResetStrategy.
    @SuppressWarnings("deprecation")
    @Override
    public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return OffsetResetStrategy.LATEST;
    }
}
