package io.depthflow.job.io.kafka;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.DecodedLine;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.ws.ConnectionEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class RawLogSerdeTest {

    private static final String KRAKEN_BODY =
            "{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[[\"30384.10000\",\"0.010\",1688671836]],"
                    + "\"bids\":[[\"30297.00000\",\"0.115\",1688671819]]}}}";

    private final RawLogSerializer serializer = new RawLogSerializer("depthflow.raw");
    private final RawLogDeserializer deserializer = new RawLogDeserializer(Long.MIN_VALUE, false);
    private final Map<String, SimpleCounter> counters = new TreeMap<>();
    private final List<IngestError> errors = new ArrayList<>();

    @BeforeEach
    void open() {
        deserializer.open(context());
    }

    /** Counters land in {@link #counters}. */
    private DeserializationSchema.InitializationContext context() {
        MetricGroup metrics =
                new UnregisteredMetricsGroup() {
                    @Override
                    public org.apache.flink.metrics.Counter counter(String name) {
                        return counters.computeIfAbsent(name, n -> new SimpleCounter());
                    }
                };
        return new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return metrics;
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
            }
        };
    }

    @Test
    void shouldWriteTheBookAsKeyTheCaptureLineAsValueAndReceivedAtAsTimestamp() {
        RawMessage response =
                RawMessage.restResponse("kraken", "BTC/USD", 1_763_639_103_203L, 200, KRAKEN_BODY);

        ProducerRecord<byte[], byte[]> record = serializer.serialize(response, null, 5L);

        assertThat(record.topic()).isEqualTo("depthflow.raw");
        assertThat(record.partition()).as("left to the producer's key hash").isNull();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("kraken|BTC/USD");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .isEqualTo(CaptureFormat.encode(response))
                .contains(",\"payload\":" + KRAKEN_BODY + "}");
        assertThat(record.timestamp()).isEqualTo(1_763_639_103_203L);
    }

    @Test
    void shouldReadBackEveryKindOfMessageExactly() {
        List<RawMessage> messages =
                List.of(
                        RawMessage.restResponse(
                                "kraken", "BTC/USD", 1_763_639_103_203L, 200, KRAKEN_BODY),
                        RawMessage.restResponse(
                                "kraken",
                                "ETH/USD",
                                1_763_639_104_000L,
                                500,
                                "<html>Bad gateway</html>\n"),
                        RawMessage.restFailure(
                                "coinbase",
                                "ETH/USD",
                                1_763_639_105_001L,
                                "HttpTimeoutException: request timed out"));

        List<RawMessage> read = new ArrayList<>();
        long offset = 0;
        for (RawMessage m : messages) {
            ProducerRecord<byte[], byte[]> p = serializer.serialize(m, null, m.receivedAt);
            deserializer.deserialize(
                    consumed(offset++, p.key(), p.value()), new ListCollector(read));
        }

        assertThat(read).containsExactlyElementsOf(messages);
        assertThat(errors).isEmpty();
        assertThat(counters.get(RawLogDeserializer.UNUSABLE_METRIC).getCount()).isZero();
    }

    @Test
    void shouldKeyWebSocketMessagesByConnectionAndReadBackOnlyTheReadersMode() {
        RawMessage rest =
                RawMessage.restResponse("kraken", "BTC/USD", 1_763_639_103_203L, 200, KRAKEN_BODY);
        RawMessage connected =
                ConnectionEvent.CONNECTED.toRawMessage(
                        "coinbase", 1_763_639_103_300L, "wss://advanced-trade-ws.coinbase.com");
        RawMessage book =
                RawMessage.wsMessage(
                        "coinbase",
                        "ETH/USD",
                        1_763_639_103_301L,
                        "{\"channel\":\"l2_data\",\"sequence_num\":1,\"events\":[]}");
        RawMessage heartbeat =
                RawMessage.wsMessage(
                        "coinbase",
                        "",
                        1_763_639_103_302L,
                        "{\"channel\":\"heartbeats\",\"sequence_num\":2}");

        assertThat(new String(serializer.serialize(book, null, 0L).key(), StandardCharsets.UTF_8))
                .as("one connection, one partition: its book messages keyed like its own messages")
                .isEqualTo("coinbase|");
        assertThat(serializer.serialize(heartbeat, null, 0L).key())
                .isEqualTo(serializer.serialize(book, null, 0L).key());
        assertThat(serializer.serialize(connected, null, 0L).key())
                .isEqualTo(serializer.serialize(book, null, 0L).key());

        RawLogDeserializer stream = new RawLogDeserializer(Long.MIN_VALUE, true);
        stream.open(context());
        List<RawMessage> polled = new ArrayList<>();
        List<RawMessage> streamed = new ArrayList<>();
        long offset = 0;
        for (RawMessage m : List.of(rest, connected, book, heartbeat)) {
            ProducerRecord<byte[], byte[]> p = serializer.serialize(m, null, m.receivedAt);
            deserializer.deserialize(
                    consumed(offset, p.key(), p.value()), new ListCollector(polled));
            stream.deserialize(consumed(offset++, p.key(), p.value()), new ListCollector(streamed));
        }

        assertThat(polled).containsExactly(rest);
        assertThat(streamed).containsExactly(connected, book, heartbeat);
        assertThat(counters.get(RawLogDeserializer.OTHER_MODE_METRIC).getCount()).isEqualTo(4);
        assertThat(counters.get(RawLogDeserializer.UNUSABLE_METRIC).getCount()).isZero();
    }

    @Test
    void shouldTurnEachRecordThatIsNotACaptureLineIntoOneErrorRowNamingItsPlace() {
        List<RawMessage> read = new ArrayList<>();
        deserializer.deserialize(
                consumed(
                        0,
                        "junk".getBytes(StandardCharsets.UTF_8),
                        "not a capture line".getBytes(StandardCharsets.UTF_8)),
                new ListCollector(read));
        deserializer.deserialize(
                consumed(
                        1,
                        "kraken|BTC/USD".getBytes(StandardCharsets.UTF_8),
                        "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\"}"
                                .getBytes(StandardCharsets.UTF_8)),
                new ListCollector(read));
        deserializer.deserialize(
                consumed(2, "kraken|BTC/USD".getBytes(StandardCharsets.UTF_8), null),
                new ListCollector(read));

        assertThat(read).isEmpty();
        assertThat(counters.get(RawLogDeserializer.UNUSABLE_METRIC).getCount()).isEqualTo(3);
        assertThat(errors)
                .extracting(e -> e.source)
                .containsExactly("depthflow.raw-0@0", "depthflow.raw-0@1", "depthflow.raw-0@2");
        assertThat(errors).extracting(e -> e.errorType).containsOnly(IngestError.MALFORMED);
        assertThat(errors)
                .extracting(e -> e.payload)
                .containsExactly(
                        "not a capture line",
                        "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\"}",
                        "");
        assertThat(errors.get(1).message)
                .isEqualTo("depthflow.raw-0@1: not a capture record: missing field 'kind'");
    }

    @Test
    void shouldDropMessagesReceivedBeforeTheStartOfARead() {
        RawLogDeserializer fromTen = new RawLogDeserializer(1_763_639_100_000L, false);
        fromTen.open(context());
        List<RawMessage> read = new ArrayList<>();
        long offset = 0;
        for (long receivedAt :
                new long[] {1_763_639_099_999L, 1_763_639_100_000L, 1_763_639_100_001L}) {
            RawMessage m =
                    RawMessage.restResponse("kraken", "BTC/USD", receivedAt, 200, KRAKEN_BODY);
            ProducerRecord<byte[], byte[]> p = serializer.serialize(m, null, receivedAt);
            fromTen.deserialize(consumed(offset++, p.key(), p.value()), new ListCollector(read));
        }

        assertThat(read)
                .extracting(m -> m.receivedAt)
                .containsExactly(1_763_639_100_000L, 1_763_639_100_001L);
        assertThat(counters.get(RawLogDeserializer.UNUSABLE_METRIC).getCount())
                .as("not an error")
                .isZero();
    }

    @Test
    void shouldStartAReadFromAnInstantAtTheStartOfItsMinute() {
        assertThat(KafkaRaw.startOfMinute(1_763_639_159_999L)).isEqualTo(1_763_639_100_000L);
        assertThat(KafkaRaw.startOfMinute(1_763_639_100_000L)).isEqualTo(1_763_639_100_000L);
    }

    @Test
    void shouldNameItsTopicForThePooledTransactions() {
        assertThat(serializer.getKafkaDatasetFacet())
                .hasValueSatisfying(
                        facet ->
                                assertThat(
                                                ((DefaultKafkaDatasetIdentifier)
                                                                facet.getTopicIdentifier())
                                                        .getTopics())
                                        .containsExactly("depthflow.raw"));
    }

    private static ConsumerRecord<byte[], byte[]> consumed(long offset, byte[] key, byte[] value) {
        return new ConsumerRecord<>("depthflow.raw", 0, offset, key, value);
    }

    /** Collects the usable messages into a list, the error rows into {@link #errors}. */
    private final class ListCollector implements org.apache.flink.util.Collector<DecodedLine> {
        private final List<RawMessage> list;

        ListCollector(List<RawMessage> list) {
            this.list = list;
        }

        @Override
        public void collect(DecodedLine record) {
            if (record.isUsable()) {
                list.add(record.message);
            } else {
                errors.add(record.error);
            }
        }

        @Override
        public void close() {}
    }
}
