package io.depthflow.job.e2e;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.cli.Main;
import io.depthflow.job.testing.KafkaTestBroker;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.Recorder;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.rest.RestBookSource;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.StreamScript;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing as a test (issue 9): a clean capture of both exchanges, and the same capture with odd
 * lines mixed in (every case of the issue, then random bytes, huge numbers, deep nesting, far past
 * and future times, every envelope field missing or of the wrong type), replayed by {@code run
 * --replay} and read back by {@code run --source kafka} from a real broker, into the real
 * ClickHouse engine. Each run exits 0; every table holds exactly the clean run's rows, plus one
 * {@code ingest_errors} row per odd line, naming its line (or partition and offset).
 */
@ExtendWith({ClickHouseTestServer.class, KafkaTestBroker.class})
class BadInputITCase {

    /**
     * Six hours ago, 5 s before a minute boundary: old enough that a line 3 h later is still in the
     * past (a jump, not a time after the time of reading), recent enough for the 30-day TTL.
     */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 6 * 3_600_000L - 5_000L;

    /** As in KafkaRawLogITCase: no message may be late in either run, on a loaded machine. */
    private static final String OUT_OF_ORDERNESS = "60s";

    private static final Pattern RECEIVED_AT = Pattern.compile("\"received_at\":\"([^\"]+)\"");

    /**
     * Every table, as comparable text, version columns left out; the error rows of odd lines apart.
     */
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
        SNAPSHOT_QUERIES.put(
                "ingest_errors",
                "SELECT toJSONString(tuple(* EXCEPT (version))) FROM ingest_errors FINAL WHERE source = '' ORDER BY ALL");
    }

    @TempDir static Path dir;

    static Path clean;
    static List<String> cleanLines;

    @BeforeAll
    static void recordCapture() throws Exception {
        clean = dir.resolve("clean.jsonl");
        AcceleratedClock clock = new AcceleratedClock(START, 60);
        try (ExchangeSimulator sim = ExchangeSimulator.builder().clock(clock).seed(41).start()) {
            sim.injectFault("coinbase", Fault.HTTP_429, 1);
            sim.injectFault("kraken", Fault.MALFORMED_JSON, 1);
            new Recorder(
                            RestBookSource.builder()
                                    .setBaseUrl("coinbase", sim.baseUrl("coinbase"))
                                    .setBaseUrl("kraken", sim.baseUrl("kraken"))
                                    .setClock(clock)
                                    .setInterval(Duration.ofSeconds(10))
                                    .setDuration(Duration.ofMinutes(4))
                                    .setRateLimit("kraken", 50, 10)
                                    .setRateLimit("coinbase", 50, 10)
                                    .buildPollConfig())
                    .record(clean);
        }
        cleanLines = Files.readAllLines(clean, StandardCharsets.UTF_8);
    }

    /** An odd line and the error type its row must have. */
    record Odd(String name, byte[] bytes, String errorType) {}

    @Test
    @Timeout(300)
    void shouldWriteExactlyTheCleanRowsPlusOneErrorRowPerOddLineFromAFileAndFromKafka()
            throws Exception {
        List<Odd> odd = oddLines(new Random(9));
        assertThat(odd).hasSizeGreaterThan(50);
        // The capture with the odd lines: the first two lines are odd (a garbage line and one from
        // 1970), the rest spread between the clean lines, never two jumps in a row.
        List<byte[]> mixed = new ArrayList<>();
        Map<Integer, Odd> oddAtLine = new TreeMap<>();
        int next = 0;
        for (; next < 2; next++) {
            mixed.add(odd.get(next).bytes());
            oddAtLine.put(mixed.size(), odd.get(next));
        }
        int every = Math.max(1, cleanLines.size() / (odd.size() - 1));
        for (int i = 0; i < cleanLines.size(); i++) {
            mixed.add(cleanLines.get(i).getBytes(StandardCharsets.UTF_8));
            if (i % every == every - 1 && next < odd.size()) {
                mixed.add(odd.get(next).bytes());
                oddAtLine.put(mixed.size(), odd.get(next++));
            }
        }
        while (next < odd.size()) {
            mixed.add(odd.get(next).bytes());
            oddAtLine.put(mixed.size(), odd.get(next++));
        }
        Path withOdd = dir.resolve("odd.jsonl");
        try (var out = Files.newOutputStream(withOdd)) {
            for (byte[] line : mixed) {
                out.write(line);
                out.write('\n');
            }
        }

        // 1. the clean capture
        ClickHouseTestServer.resetSchema();
        run("--replay", clean.toString(), "--out-of-orderness", OUT_OF_ORDERNESS);
        Map<String, List<List<String>>> expected = snapshot();
        assertThat(expected.get("bi_mid_price_1m")).hasSizeGreaterThan(10);
        assertThat(expected.get("ingest_errors"))
                .as("the simulator's faults")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(oddRows()).isEmpty();

        // 2. the same capture with the odd lines: the same rows, and one error row per odd line
        ClickHouseTestServer.resetSchema();
        run("--replay", withOdd.toString(), "--out-of-orderness", OUT_OF_ORDERNESS);
        assertSameRows(expected, "replay");
        Map<String, String> expectedSources = new TreeMap<>();
        oddAtLine.forEach(
                (line, o) ->
                        expectedSources.put(
                                "odd.jsonl:" + line, o.errorType() + " (" + o.name() + ")"));
        assertOneRowPerOddLine(expectedSources);
        List<List<String>> rows =
                ClickHouseTestServer.query(
                        "SELECT error, payload, toUnixTimestamp64Milli(received_at) FROM ingest_errors FINAL WHERE source = 'odd.jsonl:"
                                + lineOf(oddAtLine, "Kraken XXBTZUSD book labelled ETH/USD")
                                + "'");
        assertThat(rows.get(0).get(0)).contains("XXBTZUSD", "ETH/USD");
        int notUtf8 = lineOf(oddAtLine, "a market that is not UTF-8");
        assertThat(
                        Base64.getDecoder()
                                .decode(
                                        ClickHouseTestServer.query(
                                                        "SELECT payload FROM ingest_errors FINAL WHERE source = 'odd.jsonl:"
                                                                + notUtf8
                                                                + "'")
                                                .get(0)
                                                .get(0)))
                .as("the line, byte for byte")
                .isEqualTo(mixed.get(notUtf8 - 1));

        // 3. the same lines as records of a real broker (one partition: the file's order), and a
        // tombstone
        String topic = KafkaTestBroker.createTopic("bad-input", 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (byte[] line : mixed) {
                producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        "kraken|BTC/USD".getBytes(StandardCharsets.UTF_8),
                                        line))
                        .get();
            }
            producer.send(
                            new ProducerRecord<>(
                                    topic, "kraken|BTC/USD".getBytes(StandardCharsets.UTF_8), null))
                    .get();
        }
        ClickHouseTestServer.resetSchema();
        run(
                "--source",
                "kafka",
                "--kafka-bounded",
                "--kafka-bootstrap",
                KafkaTestBroker.bootstrapServers(),
                "--kafka-topic",
                topic,
                "--kafka-group-id",
                "bad-input-it",
                "--out-of-orderness",
                OUT_OF_ORDERNESS);
        assertSameRows(expected, "raw log");
        Map<String, String> expectedOffsets = new TreeMap<>();
        oddAtLine.forEach(
                (line, o) ->
                        expectedOffsets.put(
                                topic + "-0@" + (line - 1), o.errorType() + " (" + o.name() + ")"));
        expectedOffsets.put(topic + "-0@" + mixed.size(), "malformed (tombstone)");
        assertOneRowPerOddLine(expectedOffsets);
    }

    /**
     * Stream mode reads the same lines: a WebSocket capture with odd lines (times, a market and a
     * status a WebSocket line cannot have, bytes that are no line at all) gives the clean capture's
     * rows plus one error row per odd line.
     */
    @Test
    @Timeout(300)
    void shouldWriteExactlyTheCleanRowsPlusOneErrorRowPerOddLineInStreamMode() throws Exception {
        Path cleanWs = dir.resolve("clean-ws.jsonl");
        List<String> ws = new ArrayList<>();
        for (RawMessage m :
                StreamScript.builder()
                        .seed(5)
                        .start(START)
                        .stepMillis(200)
                        .updates(1_200)
                        .build()
                        .messages()) {
            ws.add(CaptureFormat.encode(m));
        }
        Files.write(cleanWs, ws, StandardCharsets.UTF_8);
        String book =
                ws.stream()
                        .filter(
                                l ->
                                        l.contains("\"kind\":\"ws\"")
                                                && l.contains("\"market\":\"BTC/USD\""))
                        .skip(100)
                        .findFirst()
                        .orElseThrow();
        List<Odd> odd =
                List.of(
                        new Odd(
                                "received_at in 2999",
                                utf8(at(book, "2999-01-01T00:00:00.000Z")),
                                "time_out_of_range"),
                        new Odd(
                                "received_at 3 h later",
                                utf8(shift(book, Duration.ofHours(3))),
                                "time_jump"),
                        new Odd(
                                "a lower-case market",
                                utf8(
                                        book.replace(
                                                "\"market\":\"BTC/USD\"",
                                                "\"market\":\"btc/usd\"")),
                                "malformed"),
                        new Odd(
                                "http_status on a WebSocket line",
                                utf8(withStatus(book, "200")),
                                "malformed"),
                        new Odd(
                                "an unknown kind",
                                utf8(book.replace("\"kind\":\"ws\"", "\"kind\":\"wss\"")),
                                "malformed"),
                        new Odd(
                                "a line cut short",
                                utf8(book.substring(0, book.length() / 3)),
                                "malformed"),
                        new Odd(
                                "random bytes",
                                noLineBreaks(new byte[] {1, 2, 3, (byte) 0xff, 4}),
                                "malformed"));
        List<byte[]> mixed = new ArrayList<>();
        Map<String, String> expectedSources = new TreeMap<>();
        int every = ws.size() / (odd.size() + 1);
        for (int i = 0, next = 0; i < ws.size(); i++) {
            mixed.add(ws.get(i).getBytes(StandardCharsets.UTF_8));
            if (i % every == every - 1 && next < odd.size()) {
                mixed.add(odd.get(next).bytes());
                expectedSources.put(
                        "odd-ws.jsonl:" + mixed.size(),
                        odd.get(next).errorType() + " (" + odd.get(next++).name() + ")");
            }
        }
        assertThat(expectedSources).hasSize(odd.size());
        Path withOdd = dir.resolve("odd-ws.jsonl");
        try (var out = Files.newOutputStream(withOdd)) {
            for (byte[] line : mixed) {
                out.write(line);
                out.write('\n');
            }
        }

        ClickHouseTestServer.resetSchema();
        run(
                "--mode",
                "stream",
                "--replay",
                cleanWs.toString(),
                "--out-of-orderness",
                OUT_OF_ORDERNESS);
        Map<String, List<List<String>>> expected = snapshot();
        assertThat(expected.get("bi_mid_price_1m")).hasSizeGreaterThan(4);

        ClickHouseTestServer.resetSchema();
        run(
                "--mode",
                "stream",
                "--replay",
                withOdd.toString(),
                "--out-of-orderness",
                OUT_OF_ORDERNESS);
        assertSameRows(expected, "stream replay");
        assertOneRowPerOddLine(expectedSources);
    }

    private static int lineOf(Map<Integer, Odd> oddAtLine, String name) {
        return oddAtLine.entrySet().stream()
                .filter(e -> e.getValue().name().equals(name))
                .findFirst()
                .orElseThrow()
                .getKey();
    }

    private static void assertSameRows(Map<String, List<List<String>>> expected, String run)
            throws Exception {
        Map<String, List<List<String>>> actual = snapshot();
        for (String table : SNAPSHOT_QUERIES.keySet()) {
            assertThat(actual.get(table))
                    .as("rows of %s (%s with odd lines) vs the clean capture", table, run)
                    .containsExactlyElementsOf(expected.get(table));
        }
    }

    /** ingest_errors holds exactly one row per expected place, of the expected type. */
    private static void assertOneRowPerOddLine(Map<String, String> expected) throws Exception {
        Map<String, String> actual = new TreeMap<>();
        for (List<String> r : oddRows()) {
            String name = expected.getOrDefault(r.get(0), "?");
            assertThat(actual.put(r.get(0), r.get(1) + name.substring(name.indexOf(' '))))
                    .as("one row for %s", r.get(0))
                    .isNull();
            assertThat(Long.parseLong(r.get(2))).as("rows of %s", r.get(0)).isEqualTo(1);
        }
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * source, error_type and the number of rows (without FINAL: what was written) of each odd
     * line's row.
     */
    private static List<List<String>> oddRows() throws Exception {
        return ClickHouseTestServer.query(
                "SELECT source, any(error_type), count() FROM ingest_errors WHERE source != '' GROUP BY source ORDER BY source");
    }

    /** The issue's odd lines first, then generated ones; none is blank or holds a line break. */
    private static List<Odd> oddLines(Random random) {
        String kraken = firstLine("\"exchange\":\"kraken\",\"market\":\"BTC/USD\"", "\"result\"");
        String coinbase = firstLine("\"exchange\":\"coinbase\",\"market\":\"ETH/USD\"", "\"bids\"");
        List<Odd> odd = new ArrayList<>();
        byte[] garbage = new byte[40];
        random.nextBytes(garbage);
        odd.add(new Odd("random bytes first", noLineBreaks(garbage), "malformed"));
        odd.add(
                new Odd(
                        "a first line from 1970",
                        utf8(at(kraken, "1970-01-01T00:00:00.100Z")),
                        "time_out_of_range"));
        odd.add(
                new Odd(
                        "received_at in 2999",
                        utf8(at(kraken, "2999-01-01T00:00:00.000Z")),
                        "time_out_of_range"));
        odd.add(
                new Odd(
                        "received_at in 2300",
                        utf8(at(kraken, "2300-01-01T00:00:00.291Z")),
                        "time_out_of_range"));
        odd.add(
                new Odd(
                        "received_at 3 h later",
                        utf8(shift(coinbase, Duration.ofHours(3))),
                        "time_jump"));
        odd.add(
                new Odd(
                        "an empty market",
                        utf8(kraken.replace("\"market\":\"BTC/USD\"", "\"market\":\"\"")),
                        "malformed"));
        odd.add(
                new Odd(
                        "a lower-case market",
                        utf8(kraken.replace("\"market\":\"BTC/USD\"", "\"market\":\"btc/usd\"")),
                        "malformed"));
        odd.add(
                new Odd(
                        "SQL in the market",
                        utf8(
                                kraken.replace(
                                        "\"market\":\"BTC/USD\"",
                                        "\"market\":\"BTC/USD'; DROP TABLE x; --\"")),
                        "malformed"));
        byte[] notUtf8 = utf8(kraken.replace("\"market\":\"BTC/USD\"", "\"market\":\"BTC/##USD\""));
        int hash = new String(notUtf8, StandardCharsets.ISO_8859_1).indexOf("##");
        notUtf8[hash] = (byte) 0xff;
        notUtf8[hash + 1] = (byte) 0xfe;
        odd.add(new Odd("a market that is not UTF-8", notUtf8, "malformed"));
        odd.add(
                new Odd(
                        "Kraken XXBTZUSD book labelled ETH/USD",
                        utf8(kraken.replace("\"market\":\"BTC/USD\"", "\"market\":\"ETH/USD\"")),
                        "malformed"));
        odd.add(new Odd("http_status 70000", utf8(withStatus(kraken, "70000")), "malformed"));
        odd.add(new Odd("http_status -5", utf8(withStatus(kraken, "-5")), "malformed"));
        odd.add(
                new Odd(
                        "a line cut short",
                        utf8(coinbase.substring(0, coinbase.length() / 2)),
                        "malformed"));
        // generated: random bytes, huge numbers, deep nesting, far times, fields missing or
        // mistyped
        for (int i = 0; i < 6; i++) {
            byte[] bytes = new byte[1 + random.nextInt(300)];
            random.nextBytes(bytes);
            odd.add(new Odd("random bytes " + i, noLineBreaks(bytes), "malformed"));
        }
        odd.add(
                new Odd(
                        "a huge http_status",
                        utf8(withStatus(kraken, "1" + "0".repeat(400))),
                        "malformed"));
        odd.add(new Odd("a float http_status", utf8(withStatus(kraken, "2e2")), "malformed"));
        odd.add(
                new Odd(
                        "deep nesting",
                        utf8(
                                kraken.replaceFirst(
                                        "\"payload\":",
                                        "\"payload\":"
                                                + "[".repeat(5_000)
                                                + "]".repeat(5_000)
                                                + ",\"x\":")),
                        "malformed"));
        odd.add(
                new Odd(
                        "deep nesting in an unknown field",
                        utf8(
                                kraken.replaceFirst(
                                        "\\{",
                                        "{\"deep\":"
                                                + "{\"a\":".repeat(3_000)
                                                + "1"
                                                + "}".repeat(3_000)
                                                + ",")),
                        "malformed"));
        for (String time :
                List.of(
                        "0001-01-01T00:00:00Z",
                        "1900-01-01T00:00:00Z",
                        "2009-01-02T23:59:59.999Z",
                        "9999-12-31T23:59:59.999Z")) {
            odd.add(new Odd("received_at " + time, utf8(at(kraken, time)), "time_out_of_range"));
        }
        odd.add(
                new Odd(
                        "received_at beyond epoch milliseconds",
                        utf8(at(kraken, "+1000000000-01-01T00:00:00Z")),
                        "malformed"));
        for (String field : List.of("exchange", "market", "kind", "received_at", "payload")) {
            Matcher m =
                    Pattern.compile("\"" + field + "\":(\"[^\"]*\"|\\{.*\\})[,}]").matcher(kraken);
            assertThat(m.find()).as(field).isTrue();
            String value = m.group(1);
            String without =
                    field.equals("payload")
                            ? kraken.substring(0, m.start() - 1) + "}"
                            : kraken.replace("\"" + field + "\":" + value + ",", "");
            odd.add(new Odd("no " + field, utf8(without), "malformed"));
            // (an array or object payload is a payload: the exchange's parser judges it)
            for (String wrong :
                    field.equals("payload")
                            ? List.of("17", "null", "true")
                            : List.of("17", "null", "[]", "{}")) {
                odd.add(
                        new Odd(
                                field + " = " + wrong,
                                utf8(
                                        kraken.replace(
                                                "\"" + field + "\":" + value,
                                                "\"" + field + "\":" + wrong)),
                                "malformed"));
            }
        }
        odd.add(
                new Odd(
                        "a field twice",
                        utf8(
                                kraken.replace(
                                        "\"market\":\"BTC/USD\"",
                                        "\"market\":\"BTC/USD\",\"market\":\"ETH/USD\"")),
                        "malformed"));
        odd.add(
                new Odd(
                        "an unknown exchange",
                        utf8(kraken.replace("\"exchange\":\"kraken\"", "\"exchange\":\"binance\"")),
                        "malformed"));
        odd.add(
                new Odd(
                        "an unknown kind",
                        utf8(kraken.replace("\"kind\":\"rest_book\"", "\"kind\":\"fix\"")),
                        "malformed"));
        odd.add(new Odd("two records on a line", utf8(kraken + kraken), "malformed"));
        return odd;
    }

    private static String firstLine(String... parts) {
        return cleanLines.stream()
                .filter(l -> List.of(parts).stream().allMatch(l::contains))
                .filter(l -> !l.contains("http_status") && !l.contains("\"error\":[\""))
                .findFirst()
                .orElseThrow();
    }

    private static String at(String line, String receivedAt) {
        return RECEIVED_AT.matcher(line).replaceFirst("\"received_at\":\"" + receivedAt + "\"");
    }

    private static String shift(String line, Duration by) {
        Matcher m = RECEIVED_AT.matcher(line);
        assertThat(m.find()).isTrue();
        return at(line, Instant.parse(m.group(1)).plus(by).toString());
    }

    private static String withStatus(String line, String status) {
        return RECEIVED_AT.matcher(line).replaceFirst("$0,\"http_status\":" + status);
    }

    private static byte[] utf8(String s) {
        assertThat(s).doesNotContain("\n");
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Random bytes that are one non-blank line. */
    private static byte[] noLineBreaks(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                bytes[i] = (byte) 0xc0;
            }
        }
        bytes[0] = (byte) 0xc0; // never blank, never UTF-8 at its first byte
        return bytes;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    private static void run(String... args) {
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
        assertThat(code)
                .as("exit code of run %s; stderr: %s", args.length > 1 ? args[1] : "", err)
                .isZero();
    }

    private static Map<String, List<List<String>>> snapshot() throws Exception {
        Map<String, List<List<String>>> rows = new TreeMap<>();
        for (Map.Entry<String, String> q : SNAPSHOT_QUERIES.entrySet()) {
            rows.put(q.getKey(), ClickHouseTestServer.query(q.getValue()));
        }
        return rows;
    }
}
