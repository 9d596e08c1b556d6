package io.depthflow.job.io.kafka;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import io.depthflow.job.OperatorIds;
import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.io.RawInput;
import io.depthflow.sources.capture.DecodedLine;
import io.depthflow.sources.model.RawMessage;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kafka raw log: every raw exchange message the topology consumes, in a topic, so that the
 * aggregates can be rebuilt from it (a backfill after a fix, or a second job on the same log).
 *
 * <p><b>Writing</b> ({@link #attachSink}): a {@link KafkaSink} under uid {@value
 * OperatorIds#SINK_KAFKA_RAW}, records as {@link RawLogSerializer} describes (key {@code
 * exchange|market}, value the capture line, timestamp received_at). It runs at the parallelism of
 * the raw stream, forward-connected (chained) to it: a book's messages come from one source
 * subtask, so one producer writes them, in order, into one partition, without a network shuffle of
 * the payloads. Delivery guarantee:
 *
 * <ul>
 *   <li>{@code EXACTLY_ONCE} (default): each subtask writes into a Kafka transaction that commits
 *       when a checkpoint completes, so a {@code read_committed} reader sees every message once,
 *       also across failures and restarts; records become visible one checkpoint interval late.
 *       Needs checkpointing (also for {@code --replay}: the job ends after its final checkpoint).
 *       Transactional ids are {@code <prefix>-<subtask>-<n>}, pooled and reused ({@link
 *       TransactionNamingStrategy#POOLING}), so the broker keeps a few ids per subtask instead of
 *       one per checkpoint; the prefix must be unique per writing job on a cluster. The transaction
 *       timeout is {@value #TRANSACTION_TIMEOUT_MINUTES} min, below the broker's default maximum
 *       ({@code transaction.max.timeout.ms} = 15 min): a job failing right after a checkpoint must
 *       be back within it, or the broker aborts the transaction that checkpoint was to commit (its
 *       messages are still in ClickHouse's bronze table, flushed by that checkpoint).
 *   <li>{@code AT_LEAST_ONCE}: plain writes flushed on every checkpoint and at the end of input; a
 *       restart may write messages again (readers rebuild the same aggregates: windows are
 *       idempotent downstream, but duplicates do count twice in per-window mids).
 * </ul>
 *
 * <p>Records are lz4-compressed; a producer request may carry up to {@value #MAX_REQUEST_MIB} MiB
 * (a full Coinbase level-2 book is large), while the broker's {@code message.max.bytes} (or the
 * topic's {@code max.message.bytes}) bounds a compressed batch.
 *
 * <p><b>Reading</b> ({@link #source}): a {@link KafkaSource} under uid {@value
 * OperatorIds#SOURCE_KAFKA_RAW}, {@code isolation.level=read_committed}, starting at the earliest
 * or latest offsets or at an instant, rounded down to the start of its minute so that the first
 * window is complete: each partition from its first record received then or later, and messages
 * received before it are dropped (a partition is in time order per book, not across books). Records
 * are decoded and validated in the reader ({@link RawLogDeserializer}; each one that cannot be used
 * becomes an {@code ingest_errors} row, {@link RawInput#errors()}), the event time is the decoded
 * received_at and watermarks are per partition with bounded out-of-orderness. Bounded reads stop at
 * the last stable offsets present at start ({@link CommittedEndOffsets}) and close every window at
 * the end; unbounded reads mark a partition idle after {@value #IDLE_PARTITION_MINUTES} min without
 * records, so that an empty partition, or a subtask without any, does not hold back event time.
 *
 * <p>The topic must exist before a job writes or reads it ({@link #checkTopic}, called at start):
 * the pooled transactions list the topic's producers, and a bounded read of a missing topic would
 * silently read nothing. Its partition count bounds the parallelism of readers.
 */
public final class KafkaRaw {

    static final int TRANSACTION_TIMEOUT_MINUTES = 10;
    static final int MAX_REQUEST_MIB = 16;
    static final int IDLE_PARTITION_MINUTES = 2;
    private static final int CHECK_TIMEOUT_SECONDS = 20;

    private KafkaRaw() {}

    /** Writes every message of {@code raw} to the raw log. */
    public static void attachSink(DataStream<RawMessage> raw, KafkaRawOptions options) {
        KafkaSinkBuilder<RawMessage> sink =
                KafkaSink.<RawMessage>builder()
                        .setBootstrapServers(options.bootstrapServers())
                        .setRecordSerializer(new RawLogSerializer(options.topic()))
                        .setDeliveryGuarantee(options.delivery())
                        .setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                        .setProperty(
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                String.valueOf(MAX_REQUEST_MIB << 20));
        if (options.delivery() == DeliveryGuarantee.EXACTLY_ONCE) {
            sink.setTransactionalIdPrefix(options.transactionalIdPrefix())
                    .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                    .setProperty(
                            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                            String.valueOf(
                                    Duration.ofMinutes(TRANSACTION_TIMEOUT_MINUTES).toMillis()));
        }
        raw.sinkTo(sink.build())
                .uid(OperatorIds.SINK_KAFKA_RAW)
                .name("Kafka raw log " + options.topic())
                .setParallelism(raw.getParallelism());
    }

    /** Whether writing with {@code options} needs checkpoints even in a bounded job. */
    public static boolean needsCheckpoints(KafkaRawOptions options) {
        return options.delivery() == DeliveryGuarantee.EXACTLY_ONCE;
    }

    /**
     * The raw log as a stream of raw messages in event time (received_at), watermarked per
     * partition: the poll mode's messages, or with {@code stream} the stream mode's.
     */
    public static RawInput source(
            StreamExecutionEnvironment env,
            KafkaRawOptions options,
            Duration outOfOrderness,
            boolean stream) {
        long from =
                options.start() == KafkaRawOptions.Start.TIMESTAMP
                        ? startOfMinute(options.startAt().toEpochMilli())
                        : Long.MIN_VALUE;
        KafkaSourceBuilder<DecodedLine> source =
                KafkaSource.<DecodedLine>builder()
                        .setBootstrapServers(options.bootstrapServers())
                        .setTopics(options.topic())
                        .setGroupId(options.groupId())
                        .setDeserializer(new RawLogDeserializer(from, stream))
                        .setStartingOffsets(startingOffsets(options.start(), from))
                        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A record that cannot be used has event time Long.MIN_VALUE: it never moves a watermark.
        WatermarkStrategy<DecodedLine> watermarks =
                WatermarkStrategy.<DecodedLine>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner((line, ts) -> line.eventTime());
        if (options.bounded()) {
            Properties admin = new Properties();
            admin.setProperty(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
            source.setBounded(new CommittedEndOffsets(admin));
        } else {
            watermarks = watermarks.withIdleness(Duration.ofMinutes(IDLE_PARTITION_MINUTES));
        }
        DataStream<DecodedLine> lines =
                env.fromSource(source.build(), watermarks, "Kafka raw log " + options.topic())
                        .uid(OperatorIds.SOURCE_KAFKA_RAW);
        SingleOutputStreamOperator<RawMessage> messages =
                lines.process(new SplitUnusable())
                        .uid(OperatorIds.SPLIT_RAW_LOG)
                        .name("Raw-log records: usable or ingest_errors")
                        .setParallelism(lines.getParallelism());
        return new RawInput(messages, messages.getSideOutput(DeadLetters.TAG));
    }

    /** Usable messages go on (chained to the reader, same order), unusable records' rows aside. */
    static final class SplitUnusable extends ProcessFunction<DecodedLine, RawMessage> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(DecodedLine line, Context ctx, Collector<RawMessage> out) {
            if (line.isUsable()) {
                out.collect(line.message);
            } else {
                ctx.output(DeadLetters.TAG, line.error);
            }
        }
    }

    /**
     * Fails with a one-line message unless the raw-log topic exists on the cluster (which must
     * answer within {@value #CHECK_TIMEOUT_SECONDS} s).
     */
    public static void checkTopic(KafkaRawOptions options) throws IOException {
        Properties config = new Properties();
        config.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        config.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.setProperty(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                String.valueOf(CHECK_TIMEOUT_SECONDS * 1000));
        try (Admin admin = Admin.create(config)) {
            admin.describeTopics(List.of(options.topic()))
                    .allTopicNames()
                    .get(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IOException(
                        "the Kafka topic '"
                                + options.topic()
                                + "' does not exist at "
                                + options.bootstrapServers()
                                + "; create it first (README, Kafka raw log), e.g. kafka-topics.sh --bootstrap-server "
                                + options.bootstrapServers()
                                + " --create --topic "
                                + options.topic()
                                + " --partitions 6");
            }
            throw new IOException(
                    "cannot describe the Kafka topic '"
                            + options.topic()
                            + "' at "
                            + options.bootstrapServers()
                            + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(
                    "Kafka at "
                            + options.bootstrapServers()
                            + " did not answer within "
                            + CHECK_TIMEOUT_SECONDS
                            + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(
                    "interrupted while checking the Kafka topic '" + options.topic() + "'", e);
        }
    }

    /** The start of the (UTC, 60 s) window holding {@code epochMs}. */
    static long startOfMinute(long epochMs) {
        return Math.floorDiv(epochMs, 60_000L) * 60_000L;
    }

    private static OffsetsInitializer startingOffsets(KafkaRawOptions.Start start, long from) {
        switch (start) {
            case LATEST:
                return OffsetsInitializer.latest();
            case TIMESTAMP:
                return OffsetsInitializer.timestamp(from);
            case EARLIEST:
            default:
                return OffsetsInitializer.earliest();
        }
    }
}
