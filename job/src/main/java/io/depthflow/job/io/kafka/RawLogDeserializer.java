package io.depthflow.job.io.kafka;

import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.CaptureFormatException;
import io.depthflow.sources.model.RawMessage;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Decodes raw-log records (values written by {@link RawLogSerializer}) back into raw messages, in
 * the source reader, so that event time and watermarks are taken per partition from the decoded
 * {@code received_at}. A record whose value is not a capture line (written by something else, or
 * a tombstone) is skipped: logged at WARN with its position and counted in the source's metric
 * {@value #SKIPPED_METRIC}, as the replay source does for capture-file lines; the log keeps it.
 * Messages received before {@code notBefore} (read because a partition is not in strict time order
 * across books) are dropped: a read from an instant starts exactly there. A log may hold both
 * modes' messages (a poll job and a stream job writing one topic): a reader keeps its own mode's
 * (poll responses, or WebSocket messages and connection events) and drops the others, counted in
 * {@value #OTHER_MODE_METRIC}.
 */
public final class RawLogDeserializer implements KafkaRecordDeserializationSchema<RawMessage> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RawLogDeserializer.class);

    /** Counter of records that were not capture lines. */
    public static final String SKIPPED_METRIC = "rawLogRecordsSkipped";

    /** Counter of the other mode's messages, dropped. */
    public static final String OTHER_MODE_METRIC = "rawLogRecordsOfOtherMode";

    private static final int PREVIEW_CHARS = 120;

    private final long notBefore;
    private final boolean stream;

    private transient Counter skipped;
    private transient Counter otherMode;

    /**
     * @param notBefore epoch ms; messages received earlier are dropped ({@link Long#MIN_VALUE}: none)
     * @param stream keep the stream mode's messages (WebSocket), else the poll mode's (REST)
     */
    public RawLogDeserializer(long notBefore, boolean stream) {
        this.notBefore = notBefore;
        this.stream = stream;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        skipped = context.getMetricGroup().counter(SKIPPED_METRIC);
        otherMode = context.getMetricGroup().counter(OTHER_MODE_METRIC);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawMessage> out) {
        if (record.value() == null) {
            skip(record, "no value (tombstone)", "");
            return;
        }
        String line = new String(record.value(), StandardCharsets.UTF_8);
        RawMessage message;
        try {
            message = CaptureFormat.decode(line);
        } catch (CaptureFormatException e) {
            skip(record, e.getMessage(), line);
            return;
        }
        if (RawLogSerializer.isWebSocket(message.kind) != stream) {
            otherMode.inc();
        } else if (message.receivedAt >= notBefore) {
            out.collect(message);
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String reason, String line) {
        skipped.inc();
        LOG.warn(
                "Skipping raw-log record {}-{}@{}, not a capture record ({}): {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason,
                line.length() > PREVIEW_CHARS ? line.substring(0, PREVIEW_CHARS) + "..." : line);
    }

    @Override
    public TypeInformation<RawMessage> getProducedType() {
        return TypeInformation.of(RawMessage.class);
    }
}
