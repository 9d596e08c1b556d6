package io.depthflow.job.e2e;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
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
import io.depthflow.job.StreamWorkflow;
import io.depthflow.job.book.BookSync;
import io.depthflow.job.book.L2Book;
import io.depthflow.job.book.StreamBookState;
import io.depthflow.job.functions.BookBuilder;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.stream.BookMessageHandler;
import io.depthflow.job.stream.Decoded;
import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.testing.MiniClusters;
import io.depthflow.sources.ws.BookEvent;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream-mode savepoints written by every release restore into the current stream job. Each
 * directory under {@code src/test/resources/savepoints-stream/} is one release's fixture ({@link
 * StreamSavepointFixtureGenerator}): the real stream job stopped with a savepoint 15 to 25 s into a
 * minute, and every raw message it had taken in. For each:
 *
 * <ol>
 *   <li>the State Processor API reads the book builder's keyed state under its uid with the current
 *       descriptors and serializer, and every saved book equals, level for level, the book that the
 *       job's own message code rebuilds from the saved messages; every book holds the open minute,
 *       usable time in it, no closed window pending;
 *   <li>the current job starts from the savepoint ({@code allowNonRestoredState=false}) on a new
 *       simulator at a new address (the restored feeds take this job's URLs): the open minute is
 *       completed, flagged {@code job_restarted} (what happened while the job was down was not
 *       seen) with the saved usable time carried in and no quote; no minute is lost; the minutes
 *       until the new subscriptions' snapshots are flagged likewise, and from then on every book is
 *       usable throughout, with quotes: each was rebuilt from a fresh snapshot.
 * </ol>
 */
@ExtendWith(ClickHouseTestServer.class)
class StreamSavepointCompatibilityITCase {

    @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.loopbackTwoSlots();

    record Fixture(String release, Path savepoint, Properties props, List<RawMessage> inputs) {
        long openWindow() {
            return Long.parseLong(props.getProperty("open.window.start"));
        }

        @Override
        public String toString() {
            return "v" + release;
        }
    }

    static Stream<Fixture> fixtures() throws Exception {
        List<Fixture> out = new ArrayList<>();
        for (Map.Entry<Path, Properties> f :
                SavepointCompatibilityITCase.fixtureDirectories("/savepoints-stream").entrySet()) {
            Path dir = f.getKey();
            out.add(
                    new Fixture(
                            f.getValue().getProperty("depthflow.version"),
                            dir.resolve("savepoint"),
                            f.getValue(),
                            CaptureReader.readAll(dir.resolve("inputs.jsonl"))));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void shouldReadEveryBookExactlyAsTheSavedMessagesBuiltIt(Fixture fixture) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SavepointReader savepoint =
                SavepointReader.read(
                        env, fixture.savepoint().toUri().toString(), new HashMapStateBackend());
        List<String> saved =
                savepoint
                        .readKeyedState(
                                OperatorIdentifier.forUid(OperatorIds.BOOK_BUILDER),
                                new BookReader(),
                                Types.STRING,
                                Types.STRING)
                        .executeAndCollect(1_000);

        Map<String, BookSync> rebuilt = rebuild(fixture.inputs());
        List<String> expected = new ArrayList<>();
        rebuilt.forEach(
                (key, sync) ->
                        expected.add(
                                key
                                        + " status="
                                        + sync.status().wireName()
                                        + " window="
                                        + fixture.openWindow()
                                        + " closed=0 "
                                        + levels(sync.book())));
        assertThat(expected).as("books in the fixture").hasSize(4);
        assertThat(saved).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldRestoreIntoTheCurrentJobAndRebuildEveryBookFromFreshSnapshots(Fixture fixture)
            throws Exception {
        ClickHouseTestServer.resetSchema();
        long stoppedAt = Long.parseLong(fixture.props().getProperty("stopped.at"));
        long open = fixture.openWindow();
        // The job comes back 5 s (event time) after it stopped, on a new simulator at a new port.
        AcceleratedClock clock =
                new AcceleratedClock(
                        stoppedAt + 5_000,
                        Integer.parseInt(fixture.props().getProperty("clock.speed")));
        try (StreamSimulator sim =
                StreamSimulator.builder().clock(clock).seed(7).messagesPerSecond(20).start()) {
            Configuration conf = new Configuration();
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, fixture.savepoint().toUri().toString());
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            RunOptions opts =
                    RunOptions.parse(
                            new String[] {
                                "--mode", "stream",
                                "--kraken-ws-url", sim.url("kraken"),
                                "--coinbase-ws-url", sim.url("coinbase"),
                                "--kraken-depth", fixture.props().getProperty("kraken.depth"),
                                "--notionals", fixture.props().getProperty("notionals"),
                                "--out-of-orderness", "5s",
                                "--checkpoint-interval", "1s",
                                "--duration", "200s",
                                "--clickhouse-url", ClickHouseTestServer.jdbcUrl()
                            });
            StreamWorkflow.build(
                    env,
                    opts,
                    JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()),
                    clock,
                    f -> f);
            env.execute("stream-savepoint-compatibility-" + fixture);
        }

        Map<String, List<List<String>>> windows = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(window_start), book_status, good_ms, samples FROM mid_price_1m FINAL"
                                + " WHERE exchange != 'all' ORDER BY window_start")) {
            windows.computeIfAbsent(r.get(0) + "|" + r.get(1), k -> new ArrayList<>()).add(r);
        }
        assertThat(windows).hasSize(4);
        for (Map.Entry<String, List<List<String>>> book : windows.entrySet()) {
            List<List<String>> rows = book.getValue();
            String all = book.getKey() + ": " + rows;
            List<String> first = rows.get(0);
            assertThat(Long.parseLong(first.get(2)))
                    .as("the minute open in the savepoint is completed; %s", all)
                    .isEqualTo(open);
            assertThat(first.get(3)).as("the restored minute; %s", all).isEqualTo("job_restarted");
            assertThat(Long.parseLong(first.get(4)))
                    .as("usable time saved before the stop counts; %s", all)
                    .isGreaterThanOrEqualTo(stoppedAt - open - 5_000);
            for (int i = 1; i < rows.size(); i++) {
                assertThat(Long.parseLong(rows.get(i).get(2)))
                        .as("no minute lost; %s", all)
                        .isEqualTo(open + i * 60_000L);
            }
            // The job was down (and then deploying) for a while: minutes flagged until the new
            // snapshot, then usable throughout.
            int ok = 1;
            while (ok < rows.size() && rows.get(ok).get(3).equals("job_restarted")) {
                ok++;
            }
            assertThat(rows.subList(ok, rows.size()))
                    .as("minutes after the rebuild; %s", all)
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.get(3)).isEqualTo("ok"));
            if (ok
                    < rows.size()
                            - 1) { // (the last minute ends with the input, at its last message)
                assertThat(Long.parseLong(rows.get(ok).get(4)))
                        .as("usable throughout; %s", all)
                        .isEqualTo(60_000L);
            }
            // Quotes come from the book at a minute's end, only when it is known-good there: none
            // for a flagged minute followed by another (the book was still down at its end), all of
            // them for the first minute usable throughout.
            for (int j = 0; j < ok - 1; j++) {
                assertThat(quotes(book.getKey(), Long.parseLong(rows.get(j).get(2))))
                        .as("quotes of a minute whose book was down at its end; %s", all)
                        .isZero();
            }
            assertThat(quotes(book.getKey(), Long.parseLong(rows.get(ok).get(2))))
                    .as("quotes of the first good minute; %s", all)
                    .isEqualTo(4);
        }
        assertThat(ClickHouseTestServer.query("SELECT count() FROM ingest_errors FINAL"))
                .as("errors")
                .containsExactly(List.of("0"));
    }

    /** Execution quotes written for one book and minute (2 sides × 2 notionals when usable). */
    private static long quotes(String book, long windowStart) throws Exception {
        String[] k = book.split("\\|");
        return Long.parseLong(
                ClickHouseTestServer.query(
                                "SELECT count() FROM execution_quotes_1m FINAL WHERE exchange = '"
                                        + k[0]
                                        + "' AND market = '"
                                        + k[1]
                                        + "' AND toUnixTimestamp64Milli(window_start) = "
                                        + windowStart)
                        .get(0)
                        .get(0));
    }

    /** The saved books, rebuilt by the job's own message code from the saved messages, per key. */
    private static Map<String, BookSync> rebuild(List<RawMessage> inputs) {
        Map<String, BookSync> books = new TreeMap<>();
        Map<String, List<RawMessage>> byExchange = new LinkedHashMap<>();
        for (RawMessage raw : inputs) {
            byExchange.computeIfAbsent(raw.exchange, e -> new ArrayList<>()).add(raw);
        }
        BookMessageHandler handler = new BookMessageHandler();
        for (List<RawMessage> connection : byExchange.values()) {
            List<IngestError> errors = new ArrayList<>();
            for (BookEvent m : Decoded.events(connection, errors)) {
                BookSync sync =
                        books.computeIfAbsent(
                                m.exchange + "|" + m.market, k -> BookSync.forExchange(m.exchange));
                handler.handle(m, sync, errors::add);
            }
            if (!errors.isEmpty()) {
                throw new AssertionError("an error in the fixture's messages: " + errors);
            }
        }
        return books;
    }

    private static String levels(L2Book b) {
        return "scales="
                + b.priceScale()
                + "/"
                + b.sizeScale()
                + " depth="
                + b.maxDepth()
                + " bids="
                + side(b, true)
                + " asks="
                + side(b, false);
    }

    private static String side(L2Book b, boolean bid) {
        StringBuilder s = new StringBuilder().append(b.count(bid)).append(':');
        for (int i = 0; i < b.count(bid); i++) {
            s.append(b.price(bid, i)).append('@').append(b.size(bid, i)).append(',');
        }
        return s.toString();
    }

    /** Every book of the book builder, as a comparable line. */
    static final class BookReader extends KeyedStateReaderFunction<String, String> {
        private static final long serialVersionUID = 1L;

        private transient ValueState<StreamBookState> books;
        private transient MapState<Long, StreamBookState> closed;

        @Override
        public void open(OpenContext openContext) {
            books = getRuntimeContext().getState(BookBuilder.bookDescriptor());
            closed = getRuntimeContext().getMapState(BookBuilder.closedDescriptor());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String> out) throws Exception {
            StreamBookState s = books.value();
            int pending = 0;
            for (Long ignored : closed.keys()) {
                pending++;
            }
            assertThat(s.exchange() + "|" + s.market()).isEqualTo(key);
            assertThat(s.goodMs()).as("usable time in the open minute of %s", key).isPositive();
            assertThat(ctx.registeredEventTimeTimers())
                    .as("timer of %s", key)
                    .contains(s.windowEnd() - 1);
            out.collect(
                    key
                            + " status="
                            + s.sync().status().wireName()
                            + " window="
                            + s.windowStart()
                            + " closed="
                            + pending
                            + " "
                            + levels(s.book()));
        }
    }
}
