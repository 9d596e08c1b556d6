package io.depthflow.job.io.kafka;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

import io.depthflow.sources.capture.DecodedLine;
import io.depthflow.sources.capture.EnvelopeValidator;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * Decodes raw-log records (values written by {@link RawLogSerializer}) in the source reader, so
 * that event time and watermarks are taken per partition from the decoded {@code received_at}.
 * Every record goes through {@link EnvelopeValidator}, one per partition (its time rules look at
 * the partition's earlier records): a record that cannot be used (a tombstone, not UTF-8, not a
 * capture line, an envelope value the job does not know, a time out of range or a jump) becomes a
 * {@link DecodedLine} holding its {@code ingest_errors} row, with the place {@code
 * topic-partition@offset} and the value, and is counted in {@value #UNUSABLE_METRIC}; its event
 * time is {@link Long#MIN_VALUE}, so it never moves the partition's watermark. A validator starts
 * empty when the reader (re)starts: the first record of a partition is held to the fixed time
 * bounds only.
 *
 * <p>Messages received before {@code notBefore} (read because a partition is not in strict time
 * order across books) are dropped: a read from an instant starts exactly there. A log may hold both
 * modes' messages (a poll job and a stream job writing one topic): a reader keeps its own mode's
 * (poll responses, or WebSocket messages and connection events) and drops the others, counted in
 * {@value #OTHER_MODE_METRIC}. A record that cannot be used is recorded by every reader, whatever
 * its mode (the row's key, with its place, is the same).
 */
public final class RawLogDeserializer implements KafkaRecordDeserializationSchema<DecodedLine> {

    private static final long serialVersionUID = 1L;

    /** Counter of records that could not be used (each is an {@code ingest_errors} row). */
    public static final String UNUSABLE_METRIC = "rawLogRecordsUnusable";

    /** Counter of the other mode's messages, dropped. */
    public static final String OTHER_MODE_METRIC = "rawLogRecordsOfOtherMode";

    private final long notBefore;
    private final boolean stream;

    private transient Map<String, EnvelopeValidator> validators;
    private transient Counter unusable;
    private transient Counter otherMode;

    /**
     * @param notBefore epoch ms; messages received earlier are dropped ({@link Long#MIN_VALUE}:
     *     none)
     * @param stream keep the stream mode's messages (WebSocket), else the poll mode's (REST)
     */
    public RawLogDeserializer(long notBefore, boolean stream) {
        this.notBefore = notBefore;
        this.stream = stream;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        validators = new HashMap<>();
        unusable = context.getMetricGroup().counter(UNUSABLE_METRIC);
        otherMode = context.getMetricGroup().counter(OTHER_MODE_METRIC);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedLine> out) {
        String partition = record.topic() + "-" + record.partition();
        DecodedLine d =
                validators
                        .computeIfAbsent(
                                partition, p -> new EnvelopeValidator(System::currentTimeMillis))
                        .decode(record.value(), partition + "@" + record.offset());
        if (!d.isUsable()) {
            unusable.inc();
            out.collect(d);
        } else if (RawLogSerializer.isWebSocket(d.message.kind) != stream) {
            otherMode.inc();
        } else if (d.message.receivedAt >= notBefore) {
            out.collect(d);
        }
    }

    @Override
    public TypeInformation<DecodedLine> getProducedType() {
        return TypeInformation.of(DecodedLine.class);
    }
}
