package io.depthflow.job.e2e;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.OperatorIds;
import io.depthflow.job.PollWorkflow;
import io.depthflow.job.e2e.IndependentCalculation.Book;
import io.depthflow.job.functions.MinuteAccumulator;
import io.depthflow.job.functions.MinuteBookAggregator;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.testing.MiniClusters;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.Reader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints written by every release restore into the current job. Each directory under {@code
 * src/test/resources/savepoints/} is the fixture of one release, written by {@link
 * SavepointFixtureGenerator}: a real savepoint of the real job stopped in the middle of a minute,
 * and the responses that minute had received. For each:
 *
 * <ol>
 *   <li>the State Processor API reads the minute-aggregator's keyed state under its uid with the
 *       current state descriptor and POJO, and every open window's accumulator equals, exactly, a
 *       recomputation from those responses (count, exact mid sum, closing book, timer);
 *   <li>the current job starts from the savepoint with {@code allowNonRestoredState=false} (every
 *       piece of state must find its operator). Its restored sources are past their end, so no new
 *       data enters: the open minute is closed from the saved state alone and its mids and best
 *       venues in ClickHouse are those of the recomputation.
 * </ol>
 *
 * <p>A change that breaks state compatibility (a uid, a state name, a POJO field's type, the key
 * type, the max parallelism, a source split serializer) fails here. A deliberate break is recorded
 * in DECISIONS.md together with the release from which old savepoints no longer restore.
 */
@ExtendWith(ClickHouseTestServer.class)
class SavepointCompatibilityITCase {

    @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.loopbackTwoSlots();

    private static final MathContext JOB_MATH = new MathContext(34, RoundingMode.HALF_EVEN);

    /** One release's fixture. */
    record Fixture(String release, Path savepoint, Properties props, List<String> inputs) {
        long openWindow() {
            return Long.parseLong(props.getProperty("open.window.start"));
        }

        long[] notionals() {
            return Stream.of(props.getProperty("notionals").split(","))
                    .mapToLong(Long::parseLong)
                    .toArray();
        }

        @Override
        public String toString() {
            return "v" + release;
        }
    }

    static Stream<Fixture> fixtures() throws Exception {
        List<Fixture> out = new ArrayList<>();
        for (Map.Entry<Path, Properties> f : fixtureDirectories("/savepoints").entrySet()) {
            Path dir = f.getKey();
            out.add(
                    new Fixture(
                            f.getValue().getProperty("depthflow.version"),
                            dir.resolve("savepoint"),
                            f.getValue(),
                            Files.readAllLines(
                                    dir.resolve("window-inputs.jsonl"), StandardCharsets.UTF_8)));
        }
        return out.stream();
    }

    /**
     * Each release's fixture directory under a test resource root, oldest first, with its
     * properties.
     */
    static Map<Path, Properties> fixtureDirectories(String resource) throws Exception {
        Path root = Path.of(SavepointCompatibilityITCase.class.getResource(resource).toURI());
        Map<Path, Properties> out = new java.util.LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory).sorted()::iterator) {
                Properties props = new Properties();
                try (Reader r =
                        Files.newBufferedReader(
                                dir.resolve("fixture.properties"), StandardCharsets.UTF_8)) {
                    props.load(r);
                }
                out.put(dir, props);
            }
        }
        assertThat(out).as("savepoint fixtures in %s", resource).isNotEmpty();
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void shouldReadEveryOpenMinuteAccumulatorWithItsExactValues(Fixture fixture) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SavepointReader savepoint =
                SavepointReader.read(
                        env, fixture.savepoint().toUri().toString(), new HashMapStateBackend());

        List<String> actual =
                savepoint
                        .readKeyedState(
                                OperatorIdentifier.forUid(OperatorIds.MINUTE_AGGREGATOR),
                                new AccumulatorReader(),
                                Types.STRING,
                                Types.STRING)
                        .executeAndCollect(1_000);

        List<String> expected = new ArrayList<>();
        IndependentCalculation.booksByKey(fixture.inputs())
                .forEach(
                        (key, books) -> {
                            BigDecimal midSum = BigDecimal.ZERO;
                            for (Book b : books) {
                                midSum = midSum.add(b.mid());
                            }
                            Book last = books.get(books.size() - 1);
                            long window = fixture.openWindow();
                            expected.add(
                                    describe(
                                            key,
                                            window,
                                            books.size(),
                                            midSum,
                                            last.receivedAt(),
                                            last.bids().get(0).price(),
                                            last.asks().get(0).price(),
                                            List.of(window + MinuteBookAggregator.WINDOW_MS - 1)));
                        });
        assertThat(expected).as("books in the open minute").hasSize(4);
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldRestoreIntoTheCurrentJobAndCloseTheOpenMinuteFromTheSavedStateAlone(Fixture fixture)
            throws Exception {
        ClickHouseTestServer.resetSchema();
        Configuration conf = new Configuration();
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, fixture.savepoint().toUri().toString());
        conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY,
                "disable"); // a state that does not restore fails the job
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // Nothing listens there: a poll would show up as an ingest error. The restored splits are
        // past their end (the fixture's run had a --duration), so the sources finish at once.
        String nowhere = "http://127.0.0.1:9";
        RunOptions opts =
                RunOptions.parse(
                        new String[] {
                            "--coinbase-url",
                            nowhere,
                            "--kraken-url",
                            nowhere,
                            "--notionals",
                            fixture.props().getProperty("notionals"),
                            "--checkpoint-interval",
                            "1s",
                            "--clickhouse-url",
                            ClickHouseTestServer.jdbcUrl()
                        });
        PollWorkflow.build(
                env,
                opts,
                JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()),
                SourceClock.system());

        env.execute("savepoint-compatibility-" + fixture);

        assertThat(ClickHouseTestServer.query("SELECT count() FROM raw_order_books"))
                .as("new responses")
                .containsExactly(List.of("0"));
        assertThat(ClickHouseTestServer.query("SELECT count() FROM ingest_errors"))
                .as("ingest errors")
                .containsExactly(List.of("0"));
        long window = fixture.openWindow();
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT DISTINCT toUnixTimestamp64Milli(window_start) FROM mid_price_1m"))
                .as("minutes written")
                .containsExactly(List.of(String.valueOf(window)));

        // per exchange: exactly the saved accumulators' mean, as the job rounds it
        Map<String, List<Book>> books = IndependentCalculation.booksByKey(fixture.inputs());
        Map<String, List<String>> mids = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toString(mid), samples FROM mid_price_1m FINAL WHERE exchange != 'all'")) {
            mids.put(r.get(0) + "|" + r.get(1), List.of(r.get(2), r.get(3)));
        }
        assertThat(mids.keySet()).isEqualTo(books.keySet());
        books.forEach(
                (key, list) -> {
                    BigDecimal sum =
                            list.stream().map(Book::mid).reduce(BigDecimal.ZERO, BigDecimal::add);
                    BigDecimal mean =
                            sum.divide(BigDecimal.valueOf(list.size()), JOB_MATH)
                                    .setScale(18, RoundingMode.HALF_EVEN);
                    assertThat(new BigDecimal(mids.get(key).get(0)))
                            .as("mid of %s", key)
                            .isEqualByComparingTo(mean);
                    assertThat(mids.get(key).get(1))
                            .as("samples of %s", key)
                            .isEqualTo(String.valueOf(list.size()));
                });

        // across exchanges and best venues: the independent calculation of the whole pipeline
        IndependentCalculation expected =
                IndependentCalculation.of(fixture.inputs(), fixture.notionals());
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT market, toString(mid) FROM bi_mid_price_1m WHERE exchange = 'all'")) {
            assertClose(
                    "all mid " + r.get(0),
                    new BigDecimal(r.get(1)),
                    expected.mids.get(window + "|" + r.get(0) + "|all"));
        }
        Map<String, String> venues = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT market, side, notional, exchange, toString(avg_price) FROM bi_best_execution_1m")) {
            String k = window + "|" + r.get(0) + "|" + r.get(1) + "|" + r.get(2);
            venues.put(k, r.get(3));
            assertClose(k, new BigDecimal(r.get(4)), expected.bestPrice.get(k));
        }
        assertThat(venues).isEqualTo(expected.bestVenue).isNotEmpty();
    }

    private static void assertClose(String key, BigDecimal actual, BigDecimal expected) {
        assertThat(expected).as("expected %s", key).isNotNull();
        BigDecimal rel =
                actual.subtract(expected).abs().divide(expected.abs(), MathContext.DECIMAL64);
        assertThat(rel)
                .as("%s: %s vs expected %s", key, actual, expected)
                .isLessThanOrEqualTo(new BigDecimal("1e-9"));
    }

    private static String describe(
            String key,
            long window,
            long samples,
            BigDecimal midSum,
            long lastReceivedAt,
            BigDecimal bestBid,
            BigDecimal bestAsk,
            List<Long> timers) {
        return key
                + " window="
                + window
                + " samples="
                + samples
                + " midSum="
                + plain(midSum)
                + " last="
                + lastReceivedAt
                + " bid="
                + plain(bestBid)
                + " ask="
                + plain(bestAsk)
                + " timers="
                + timers;
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }

    /** Every open window of every key of the minute-aggregator, as a comparable line. */
    static final class AccumulatorReader extends KeyedStateReaderFunction<String, String> {
        private static final long serialVersionUID = 1L;

        private transient MapState<Long, MinuteAccumulator> windows;

        @Override
        public void open(OpenContext openContext) {
            windows = getRuntimeContext().getMapState(MinuteBookAggregator.stateDescriptor());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String> out) throws Exception {
            List<Long> timers = new ArrayList<>(ctx.registeredEventTimeTimers());
            timers.sort(null);
            for (Map.Entry<Long, MinuteAccumulator> e : windows.entries()) {
                MinuteAccumulator acc = e.getValue();
                out.collect(
                        describe(
                                key,
                                e.getKey(),
                                acc.samples,
                                acc.midSum,
                                acc.lastBook.receivedAt,
                                acc.lastBook.bestBid(),
                                acc.lastBook.bestAsk(),
                                timers));
            }
        }
    }
}
