package io.depthflow.job.io.kafka;

import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import io.depthflow.job.functions.BookKey;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.model.RawMessage;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One raw message as one Kafka record of the raw log:
 *
 * <ul>
 *   <li>key (UTF-8): for a poll response {@code exchange|market}, so that the producer's key hash
 *       puts every message of one book into one partition, in the order the book's messages were
 *       written; for a WebSocket message or connection event {@code exchange|} (the market left
 *       empty, as on the connection's own messages), so that a connection's messages, whichever
 *       market they concern, stay in one partition in arrival order: Coinbase's sequence numbers
 *       and the connection events are per connection, and a reader needs them in order among the
 *       book messages (one connection per exchange);
 *   <li>value: the message's capture line ({@link CaptureFormat#encode}, UTF-8, no line break): the
 *       payload byte for byte, the same text a capture file holds;
 *   <li>timestamp: the message's {@code received_at}, so that a reader can start at an instant and
 *       brokers retain by event time;
 *   <li>partition: left to the producer (hash of the key).
 * </ul>
 *
 * <p>It names its one topic to the sink ({@link KafkaDatasetFacetProvider}): the pooled transaction
 * naming of the exactly-once sink lists open transactions per target topic.
 */
public final class RawLogSerializer
        implements KafkaRecordSerializationSchema<RawMessage>, KafkaDatasetFacetProvider {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public RawLogSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            RawMessage message, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                message.receivedAt,
                key(message),
                CaptureFormat.encode(message).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }

    /**
     * The record key of a message: its book's for a poll response, its connection's for WebSocket
     * ones.
     */
    public static byte[] key(RawMessage message) {
        return key(message.exchange, isWebSocket(message.kind) ? "" : message.market);
    }

    /** Kinds of the stream mode: WebSocket messages and connection events. */
    public static boolean isWebSocket(String kind) {
        return RawMessage.KIND_WS.equals(kind) || RawMessage.KIND_WS_EVENT.equals(kind);
    }

    /** The record key of a book's messages. */
    public static byte[] key(String exchange, String market) {
        return BookKey.of(exchange, market).getBytes(StandardCharsets.UTF_8);
    }
}
