package io.depthflow.job.e2e;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.cli.Main;
import io.depthflow.job.functions.BookKey;
import io.depthflow.job.testing.KafkaTestBroker;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.CaptureWriter;
import io.depthflow.sources.capture.Recorder;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.rest.RestBookSource;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamScript;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka raw log round trip against a real broker and the real ClickHouse engine: a capture of
 * both exchanges (faults included) is replayed by {@code run --replay FILE --kafka-bootstrap B},
 * which writes ClickHouse and, exactly once, the raw log; then, on an empty schema, {@code run
 * --source kafka --kafka-bounded} rebuilds everything from the log alone. Every table holds the
 * same rows (values, not versions) after both runs. The log itself is checked record by record.
 */
@ExtendWith({ClickHouseTestServer.class, KafkaTestBroker.class})
class KafkaRawLogITCase {

    /** An hour ago, 5 s before a minute boundary (raw_order_books keeps 30 days: stay recent). */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L - 5_000L;

    private static final int PARTITIONS = 3;

    /**
     * Both runs must see the same input, so no message may be late in either: the file is read in
     * its line order, the log per partition. A minute of event time is a real second of the
     * accelerated recording, which is far more than a loaded machine can put between two lines.
     */
    private static final String OUT_OF_ORDERNESS = "60s";

    /** Every table of the schema, as comparable text, version columns left out. */
    private static final Map<String, String> SNAPSHOT_QUERIES = new LinkedHashMap<>();

    static {
        SNAPSHOT_QUERIES.put(
                "bi_mid_price_1m",
                "SELECT toUnixTimestamp64Milli(window_start), market, exchange, toString(mid) FROM bi_mid_price_1m ORDER BY ALL");
        SNAPSHOT_QUERIES.put(
                "bi_best_execution_1m",
                "SELECT toUnixTimestamp64Milli(window_start), market, side, notional, exchange, toString(avg_price)"
                        + " FROM bi_best_execution_1m ORDER BY ALL");
        for (String table :
                List.of(
                        "mid_price_1m",
                        "execution_quotes_1m",
                        "best_execution_1m",
                        "order_book_slices",
                        "raw_order_books")) {
            SNAPSHOT_QUERIES.put(
                    table,
                    "SELECT toJSONString(tuple(* EXCEPT (version))) FROM "
                            + table
                            + " FINAL ORDER BY ALL");
        }
        // The rows of records that could not be read at all (source = their place) are checked
        // apart.
        SNAPSHOT_QUERIES.put(
                "ingest_errors",
                "SELECT toJSONString(tuple(* EXCEPT (version))) FROM ingest_errors FINAL WHERE source = '' ORDER BY ALL");
    }

    @TempDir static Path dir;

    static Path capture;
    static List<String> lines;

    @BeforeAll
    static void recordCapture() throws Exception {
        capture = dir.resolve("capture.jsonl");
        AcceleratedClock clock = new AcceleratedClock(START, 60);
        try (ExchangeSimulator sim =
                ExchangeSimulator.builder()
                        .clock(clock)
                        .seed(23)
                        .slowDelay(Duration.ofMillis(1_500))
                        .start()) {
            sim.injectFault("coinbase", Fault.HTTP_429, 1);
            sim.injectFault("kraken", Fault.MALFORMED_JSON, 1);
            sim.injectFault("kraken", Fault.SLOW, 1);
            sim.injectFault("coinbase", Fault.CROSSED_BOOK, 1);
            new Recorder(
                            RestBookSource.builder()
                                    .setBaseUrl("coinbase", sim.baseUrl("coinbase"))
                                    .setBaseUrl("kraken", sim.baseUrl("kraken"))
                                    .setClock(clock)
                                    .setInterval(Duration.ofSeconds(10))
                                    .setDuration(Duration.ofMinutes(4))
                                    .setRateLimit("kraken", 50, 10)
                                    .setRateLimit("coinbase", 50, 10)
                                    .setConnectTimeout(Duration.ofMillis(500))
                                    .setRequestTimeout(Duration.ofMillis(500))
                                    .buildPollConfig())
                    .record(capture);
        }
        lines = Files.readAllLines(capture, StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(180) // a bounded read waiting for the open transaction below would hang for 10 min
    void shouldRebuildTheSameRowsFromTheRawLogAsTheDirectRun() throws Exception {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        String topic = KafkaTestBroker.createTopic("depthflow.raw", PARTITIONS);
        assertThat(lines.stream().map(CaptureFormat::decode).filter(m -> !m.hasResponse()).count())
                .as("transport failures in the capture")
                .isGreaterThanOrEqualTo(1);

        // 1. direct run over the capture; the raw log is written on the side, exactly once
        ClickHouseTestServer.resetSchema();
        run(
                "--replay",
                capture.toString(),
                "--kafka-bootstrap",
                bootstrap,
                "--kafka-topic",
                topic,
                "--checkpoint-interval",
                "1s",
                "--out-of-orderness",
                OUT_OF_ORDERNESS);
        Map<String, List<List<String>>> direct = snapshot();
        assertThat(direct.get("bi_mid_price_1m")).hasSizeGreaterThan(10);
        assertThat(direct.get("bi_best_execution_1m")).isNotEmpty();
        assertThat(direct.get("ingest_errors")).hasSizeGreaterThanOrEqualTo(3);

        // 2. the log: every message once, keyed by book, in received_at order per book
        assertLogHoldsEveryMessageOnceInOrder(topic);

        // 3. things a bounded reader must not take: a record that is not a capture line
        //    (an ingest_errors row instead), and a transaction still open when the job starts
        // (beyond its end)
        try (KafkaProducer<byte[], byte[]> plain = producer(Map.of());
                KafkaProducer<byte[], byte[]> open =
                        producer(
                                Map.of(
                                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                        "kafka-raw-log-it-" + UUID.randomUUID(),
                                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                                        600_000))) {
            plain.send(
                            new ProducerRecord<>(
                                    topic,
                                    "junk".getBytes(StandardCharsets.UTF_8),
                                    "not a capture line".getBytes(StandardCharsets.UTF_8)))
                    .get();
            open.initTransactions();
            open.beginTransaction();
            RawMessage later = CaptureFormat.decode(lines.get(lines.size() - 1));
            later.receivedAt += 120_000;
            open.send(
                            new ProducerRecord<>(
                                    topic,
                                    null,
                                    later.receivedAt,
                                    BookKey.of(later.exchange, later.market)
                                            .getBytes(StandardCharsets.UTF_8),
                                    CaptureFormat.encode(later).getBytes(StandardCharsets.UTF_8)))
                    .get();

            // 4. rebuild from the log alone, on an empty schema
            ClickHouseTestServer.resetSchema();
            //    (from the capture's first instant, 5 s before a minute: the read starts at that
            // minute)
            run(
                    "--source",
                    "kafka",
                    "--kafka-bounded",
                    "--kafka-bootstrap",
                    bootstrap,
                    "--kafka-topic",
                    topic,
                    "--kafka-start",
                    Instant.ofEpochMilli(START).toString(),
                    "--kafka-group-id",
                    "kafka-raw-log-it",
                    "--out-of-orderness",
                    OUT_OF_ORDERNESS);
            open.abortTransaction();
        }
        Map<String, List<List<String>>> rebuilt = snapshot();

        for (String table : SNAPSHOT_QUERIES.keySet()) {
            assertThat(rebuilt.get(table))
                    .as("rows of %s rebuilt from the raw log", table)
                    .containsExactlyElementsOf(direct.get(table));
        }
        // the record that is not a capture line is one error row, with its place and value
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT error_type, payload, startsWith(source, '"
                                        + topic
                                        + "-') FROM ingest_errors FINAL WHERE source != ''"))
                .containsExactly(List.of("malformed", "not a capture line", "1"));
    }

    /**
     * Stream mode: a WebSocket session of both exchanges (a corrupted Kraken checksum and a dropped
     * Coinbase message included) replayed with the raw log on the side, then rebuilt from the log
     * alone, in parallel (two source subtasks over three partitions): the same rows in every table.
     * Each connection's messages share one key, so they are in one partition in arrival order.
     */
    @Test
    @Timeout(180)
    void shouldRebuildTheSameStreamModeRowsFromTheRawLog() throws Exception {
        Path wsCapture = dir.resolve("ws-capture.jsonl");
        List<RawMessage> session =
                StreamScript.builder()
                        .seed(31)
                        .start(START)
                        .stepMillis(100)
                        .updates(2_400)
                        .fault("kraken", StreamFault.CORRUPT_CHECKSUM, 700)
                        .fault("coinbase", StreamFault.DROP_MESSAGE, 1_500)
                        .build()
                        .messages();
        try (CaptureWriter w = CaptureWriter.append(wsCapture)) {
            for (RawMessage m : session) {
                w.write(m);
            }
        }
        String bootstrap = KafkaTestBroker.bootstrapServers();
        String topic = KafkaTestBroker.createTopic("depthflow.raw.ws", PARTITIONS);

        ClickHouseTestServer.resetSchema();
        run(
                "--mode",
                "stream",
                "--replay",
                wsCapture.toString(),
                "--kafka-bootstrap",
                bootstrap,
                "--kafka-topic",
                topic,
                "--checkpoint-interval",
                "1s",
                "--out-of-orderness",
                OUT_OF_ORDERNESS);
        Map<String, List<List<String>>> direct = snapshot();
        assertThat(direct.get("bi_mid_price_1m")).hasSizeGreaterThan(10);
        assertThat(direct.get("bi_best_execution_1m")).isNotEmpty();
        assertThat(direct.get("ingest_errors").toString())
                .contains("checksum_mismatch", "sequence_gap");

        List<ConsumerRecord<byte[], byte[]>> log = readAll(topic, "read_committed");
        assertThat(log).hasSize(session.size());
        Map<String, Integer> partitionOfConnection = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : log) {
            RawMessage m = CaptureFormat.decode(new String(r.value(), StandardCharsets.UTF_8));
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(m.exchange + "|");
            assertThat(partitionOfConnection.computeIfAbsent(m.exchange, e -> r.partition()))
                    .isEqualTo(r.partition());
            Long previous = last.put(m.exchange, m.receivedAt);
            assertThat(m.receivedAt)
                    .as("arrival order of %s's connection", m.exchange)
                    .isGreaterThanOrEqualTo(previous == null ? 0 : previous);
        }

        ClickHouseTestServer.resetSchema();
        run(
                "--mode",
                "stream",
                "--source",
                "kafka",
                "--kafka-bounded",
                "--kafka-bootstrap",
                bootstrap,
                "--kafka-topic",
                topic,
                "--kafka-group-id",
                "kafka-raw-log-ws-it",
                "--out-of-orderness",
                OUT_OF_ORDERNESS);
        Map<String, List<List<String>>> rebuilt = snapshot();
        for (String table : SNAPSHOT_QUERIES.keySet()) {
            assertThat(rebuilt.get(table))
                    .as("rows of %s rebuilt from the stream-mode raw log", table)
                    .containsExactlyElementsOf(direct.get(table));
        }
    }

    @Test
    void shouldRefuseToStartWithOneLineWhenTheTopicDoesNotExist() {
        String missing = "depthflow.missing-" + UUID.randomUUID().toString().substring(0, 8);
        for (String[] args :
                List.of(
                        new String[] {
                            "--replay",
                            capture.toString(),
                            "--kafka-bootstrap",
                            KafkaTestBroker.bootstrapServers(),
                            "--kafka-topic",
                            missing
                        },
                        new String[] {
                            "--source",
                            "kafka",
                            "--kafka-bounded",
                            "--kafka-bootstrap",
                            KafkaTestBroker.bootstrapServers(),
                            "--kafka-topic",
                            missing
                        })) {
            Result r = execute(args);
            assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
            assertThat(r.err())
                    .startsWith(
                            "depthflow run: the Kafka topic '" + missing + "' does not exist at ")
                    .contains("--create --topic " + missing)
                    .hasLineCount(1);
        }
    }

    /**
     * read_committed sees exactly the capture's lines, each once, as values (byte for byte); keys
     * are exchange|market, timestamps received_at; one book lives in one partition, in order; and
     * read_uncommitted sees nothing more (no aborted or duplicate writes).
     */
    private static void assertLogHoldsEveryMessageOnceInOrder(String topic) {
        List<ConsumerRecord<byte[], byte[]>> committed = readAll(topic, "read_committed");
        List<String> values =
                committed.stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .sorted()
                        .collect(Collectors.toList());
        assertThat(values)
                .as("records in the log (read_committed)")
                .containsExactlyElementsOf(lines.stream().sorted().collect(Collectors.toList()));
        assertThat(Set.copyOf(values)).as("distinct records").hasSize(lines.size());
        assertThat(readAll(topic, "read_uncommitted"))
                .as("records including uncommitted and aborted ones")
                .hasSize(lines.size());

        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, Long> lastReceivedAt = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : committed) { // in offset order per partition
            RawMessage m = CaptureFormat.decode(new String(r.value(), StandardCharsets.UTF_8));
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(key).isEqualTo(m.exchange + "|" + m.market);
            assertThat(r.timestamp()).isEqualTo(m.receivedAt);
            assertThat(partitionOfKey.computeIfAbsent(key, k -> r.partition()))
                    .as("partition of %s", key)
                    .isEqualTo(r.partition());
            Long previous = lastReceivedAt.put(key, m.receivedAt);
            if (previous != null) {
                assertThat(m.receivedAt)
                        .as("received_at order of %s", key)
                        .isGreaterThanOrEqualTo(previous);
            }
        }
        assertThat(partitionOfKey).hasSize(4);
    }

    /**
     * Every record of {@code topic} visible at the given isolation level, partition by partition.
     */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolation) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaTestBroker.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        isolation,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        ByteArrayDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime())
                        .as("read %s to its end within 30 s", topic)
                        .isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    private static void run(String... args) {
        Result r = execute(args);
        assertThat(r.code()).as("exit code of run %s; stderr: %s", List.of(args), r.err()).isZero();
    }

    private record Result(int code, String err) {}

    /** {@code bin/depthflow run ARGS} against the test ClickHouse, in this JVM. */
    private static Result execute(String... args) {
        List<String> argv = new ArrayList<>(List.of("run"));
        argv.addAll(List.of(args));
        argv.addAll(
                List.of(
                        "--clickhouse-url",
                        ClickHouseTestServer.jdbcUrl(),
                        "--web-port",
                        "0",
                        "--quiet"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        argv.toArray(new String[0]),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, List<List<String>>> snapshot() throws Exception {
        Map<String, List<List<String>>> rows = new TreeMap<>();
        for (Map.Entry<String, String> q : SNAPSHOT_QUERIES.entrySet()) {
            rows.put(q.getKey(), ClickHouseTestServer.query(q.getValue()));
        }
        return rows;
    }
}
