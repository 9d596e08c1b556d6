package io.depthflow.job.functions;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import io.depthflow.job.book.BookSync;
import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.job.quote.Walk;
import io.depthflow.job.stream.BookMessageHandler;
import io.depthflow.job.stream.Decoded;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.ws.BookEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The book builder in a keyed operator harness: windows, time-weighted mids and quotes against an
 * independent calculation, flagged windows after faults, state draining, and checkpoint/restore.
 */
class BookBuilderTest {

    private static final long[] NOTIONALS = {50_000, 100_000};
    private static final long BOUND = 5_000;
    private static final long START = 1_795_175_130_000L; // 30 s into a minute

    private static KeyedOneInputStreamOperatorTestHarness<String, BookEvent, MidPrice> harness()
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, BookEvent, MidPrice> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new BookBuilder(NOTIONALS)),
                        new StreamKey(),
                        Types.STRING);
        h.setup();
        return h;
    }

    /** A scripted session of this class's shape: from {@link #START}, a step every 250 ms. */
    private static StreamScript.Builder script(int seed) {
        return StreamScript.builder().seed(seed).start(START).stepMillis(250);
    }

    /** One book's scripted session through the decode step (its errors dropped). */
    private static List<BookEvent> oneBook(int seed, String exchange, String market, int updates) {
        return routed(
                script(seed)
                        .exchanges(List.of(exchange))
                        .markets(List.of(market))
                        .updates(updates)
                        .build()
                        .messages(),
                new ArrayList<>());
    }

    /** The decode step's output for {@code messages}, and its errors. */
    private static List<BookEvent> routed(List<RawMessage> messages, List<IngestError> errors) {
        return Decoded.events(messages, errors);
    }

    private static long feed(
            KeyedOneInputStreamOperatorTestHarness<String, BookEvent, MidPrice> h,
            List<BookEvent> messages,
            long watermark)
            throws Exception {
        long wm = watermark;
        for (BookEvent m : messages) {
            h.processElement(new StreamRecord<>(m, m.receivedAt));
            if (m.receivedAt - BOUND > wm) {
                wm = m.receivedAt - BOUND;
                h.processWatermark(wm);
            }
        }
        return wm;
    }

    private static List<MidPrice> mids(
            KeyedOneInputStreamOperatorTestHarness<String, BookEvent, MidPrice> h) {
        return h.extractOutputValues();
    }

    private static List<ExecutionQuote> quotes(
            KeyedOneInputStreamOperatorTestHarness<String, BookEvent, MidPrice> h) {
        List<ExecutionQuote> out = new ArrayList<>();
        h.getSideOutput(BookBuilder.QUOTES).forEach(r -> out.add(r.getValue()));
        return out;
    }

    @Test
    void shouldEmitTimeWeightedMidsAndQuotesAtWindowEndEqualToAnIndependentCalculation()
            throws Exception {
        List<RawMessage> script = script(31).updates(1_000).build().messages();
        List<BookEvent> input = routed(script, new ArrayList<>());
        Expected expected = Expected.of(input);
        try (var h = harness()) {
            h.open();
            feed(h, input, Long.MIN_VALUE);
            h.processWatermark(Long.MAX_VALUE);

            List<MidPrice> mids = mids(h);
            // 250 s from :30: a half window, three full minutes, and the last partial one, per book
            assertThat(mids).hasSize(4 * 5).hasSize(expected.mids.size());
            for (MidPrice m : mids) {
                String key = m.exchange + "|" + m.market + "|" + m.windowStart;
                assertThat(m.mid).as(key).isEqualTo(BookWalker.toStored(expected.mids.get(key)));
                assertThat(m.goodMs).as(key).isEqualTo(expected.goodMs.get(key));
                assertThat(m.bookStatus)
                        .as(key)
                        .isEqualTo(
                                m.windowStart == StreamWindowsStart.first(START)
                                        ? "no_snapshot"
                                        : "ok");
            }
            // every window but the one the input ends in has quotes, equal to BookWalker on the
            // book at its end
            List<ExecutionQuote> quotes = quotes(h);
            assertThat(quotes).hasSize(expected.quotes.size()).isNotEmpty();
            for (ExecutionQuote q : quotes) {
                Walk w =
                        expected.quotes.get(
                                q.exchange
                                        + "|"
                                        + q.market
                                        + "|"
                                        + q.windowStart
                                        + "|"
                                        + q.side
                                        + "|"
                                        + q.notional);
                assertThat(w).as("quote %s", q).isNotNull();
                assertThat(q.avgPrice).isEqualTo(BookWalker.toStored(w.avgPrice()));
                assertThat(q.baseQty).isEqualTo(BookWalker.toStored(w.baseQty()));
                assertThat(q.levels).isEqualTo(w.levels());
                assertThat(q.complete).isEqualTo(w.complete());
            }
            assertThat(h.getSideOutput(BookBuilder.SLICES)).hasSize(quotes.size() / 2);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldFlagWindowsAndWriteNoQuoteWhileAKrakenBookWaitsForItsSnapshotAfterAChecksumFailure()
            throws Exception {
        List<RawMessage> script =
                new ArrayList<>(
                        script(32)
                                .exchanges(List.of("kraken"))
                                .updates(800)
                                .fault("kraken", StreamFault.CORRUPT_CHECKSUM, 200)
                                .build()
                                .messages());
        // The recovery (unsubscribe ack, subscribe ack, snapshot) never comes.
        int bad = indexOfCorrupted(script);
        script.subList(bad + 1, bad + 4).clear();
        List<IngestError> decodeErrors = new ArrayList<>();
        List<BookEvent> input = routed(script, decodeErrors);
        try (var h = harness()) {
            h.open();
            feed(h, input, Long.MIN_VALUE);
            h.processWatermark(Long.MAX_VALUE);

            String market = script.get(bad).market;
            long failedAt = script.get(bad).receivedAt;
            Map<Long, MidPrice> windows =
                    mids(h).stream()
                            .filter(m -> m.market.equals(market))
                            .collect(
                                    Collectors.toMap(
                                            m -> m.windowStart, m -> m, (a, b) -> a, TreeMap::new));
            long failedWindow = failedAt / 60_000 * 60_000;
            assertThat(windows.get(failedWindow).bookStatus).isEqualTo("checksum_mismatch");
            assertThat(windows.get(failedWindow).samples).isPositive();
            windows.values().stream()
                    .filter(m -> m.windowStart > failedWindow)
                    .forEach(
                            m -> {
                                assertThat(m.bookStatus).isEqualTo("checksum_mismatch");
                                assertThat(m.samples).isZero();
                                assertThat(m.mid).isEqualByComparingTo("0");
                            });
            assertThat(quotes(h))
                    .filteredOn(q -> q.market.equals(market))
                    .allMatch(q -> q.windowStart < failedWindow);
            // Found where the message was decoded, with the raw payload; the builder only drops the
            // book.
            assertThat(h.getSideOutput(DeadLetters.TAG)).isNull();
            assertThat(decodeErrors)
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.errorType).isEqualTo(IngestError.CHECKSUM_MISMATCH);
                                assertThat(e.payload).isEqualTo(script.get(bad).payload);
                                assertThat(e.receivedAt).isEqualTo(failedAt);
                            });
        }
    }

    @Test
    void shouldFlagTheGapWindowOfEveryCoinbaseBookAndRecoverAtTheNextSnapshots() throws Exception {
        List<IngestError> errors = new ArrayList<>();
        List<BookEvent> input =
                routed(
                        script(33)
                                .exchanges(List.of("coinbase"))
                                .updates(600)
                                .fault("coinbase", StreamFault.DROP_MESSAGE, 300)
                                .build()
                                .messages(),
                        errors);
        assertThat(errors).extracting(e -> e.errorType).containsExactly(IngestError.SEQUENCE_GAP);
        long gapWindow = errors.get(0).receivedAt / 60_000 * 60_000;
        try (var h = harness()) {
            h.open();
            feed(h, input, Long.MIN_VALUE);
            h.processWatermark(Long.MAX_VALUE);
            for (MidPrice m : mids(h)) {
                if (m.windowStart == gapWindow) {
                    assertThat(m.bookStatus).isEqualTo("sequence_gap");
                    assertThat(m.goodMs).isEqualTo(60_000); // resynced at the same instant
                } else if (m.windowStart > StreamWindowsStart.first(START)) {
                    assertThat(m.bookStatus).isEqualTo("ok");
                }
            }
            assertThat(quotes(h)).extracting(q -> q.windowStart).contains(gapWindow);
        }
    }

    @Test
    void shouldNeitherLoseNorDuplicateWindowsAcrossACheckpointAndRestore() throws Exception {
        List<BookEvent> first =
                routed(script(34).updates(700).build().messages(), new ArrayList<>());
        // After the restore the source has reconnected: a new session, 3 minutes later.
        long resumeAt = START + 700 * 250 + 180_000;
        List<BookEvent> second =
                routed(
                        StreamScript.builder()
                                .seed(35)
                                .start(resumeAt)
                                .stepMillis(250)
                                .updates(500)
                                .build()
                                .messages(),
                        new ArrayList<>());

        OperatorSubtaskState checkpoint;
        List<MidPrice> beforeCheckpoint;
        long watermark;
        try (var h = harness()) {
            h.open();
            watermark = feed(h, first.subList(0, first.size() / 2), Long.MIN_VALUE);
            beforeCheckpoint = new ArrayList<>(mids(h));
            checkpoint = h.snapshot(1L, watermark);
            // Work done after the checkpoint is lost with the failure (and not sent downstream
            // here).
            feed(h, first.subList(first.size() / 2, first.size()), watermark);
        }
        List<MidPrice> afterRestore;
        try (var h = harness()) {
            h.initializeState(checkpoint);
            h.open();
            feed(h, second, watermark);
            h.processWatermark(Long.MAX_VALUE);
            afterRestore = mids(h);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
        assertThat(beforeCheckpoint).isNotEmpty();
        List<MidPrice> all = new ArrayList<>(beforeCheckpoint);
        all.addAll(afterRestore);
        Map<String, List<Long>> windowsPerBook =
                all.stream()
                        .collect(
                                Collectors.groupingBy(
                                        m -> m.exchange + "|" + m.market,
                                        Collectors.mapping(
                                                m -> m.windowStart, Collectors.toList())));
        assertThat(windowsPerBook).hasSize(4);
        for (Map.Entry<String, List<Long>> e : windowsPerBook.entrySet()) {
            List<Long> starts = e.getValue();
            Set<Long> distinct = new TreeSet<>(starts);
            assertThat(starts).as("no window twice: %s", e.getKey()).hasSize(distinct.size());
            long lo = starts.stream().min(Long::compare).orElseThrow();
            long hi = starts.stream().max(Long::compare).orElseThrow();
            assertThat(distinct)
                    .as("no window lost: %s", e.getKey())
                    .hasSize((int) ((hi - lo) / 60_000 + 1));
        }
        // The windows the restored job could not see are flagged, without a mid, until the new
        // snapshots.
        long lastBefore =
                beforeCheckpoint.stream().mapToLong(m -> m.windowStart).max().orElseThrow();
        List<MidPrice> resumedGap =
                afterRestore.stream()
                        .filter(
                                m ->
                                        m.windowStart > lastBefore
                                                && m.windowStart + 60_000
                                                        <= resumeAt / 60_000 * 60_000)
                        .toList();
        assertThat(resumedGap.stream().filter(m -> m.windowStart > lastBefore + 60_000))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.bookStatus).isEqualTo("job_restarted"));
        assertThat(resumedGap.stream().filter(m -> m.windowStart > lastBefore + 120_000))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.samples).isZero());
        assertThat(afterRestore.get(afterRestore.size() - 1).bookStatus).isEqualTo("ok");
    }

    @Test
    void shouldCloseAndClearABookTheRestoredJobNoLongerConfigures() throws Exception {
        List<BookEvent> input = oneBook(36, "kraken", "ETH/USD", 200);
        OperatorSubtaskState checkpoint;
        long watermark;
        try (var h = harness()) {
            h.open();
            watermark = feed(h, input, Long.MIN_VALUE);
            checkpoint = h.snapshot(1L, watermark);
        }
        long lastWindow = StreamWindowsStart.first(input.get(input.size() - 1).receivedAt);
        // The upgrade configures Kraken BTC/USD only: ETH/USD's key gets no message any more.
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<String, BookEvent, MidPrice>(
                        new KeyedProcessOperator<>(
                                new BookBuilder(NOTIONALS, List.of("kraken|BTC/USD"))),
                        new StreamKey(),
                        Types.STRING)) {
            h.setup();
            h.initializeState(checkpoint);
            h.open();
            for (long wm = watermark; wm < lastWindow + 30 * 60_000; wm += 10_000) {
                h.processWatermark(wm);
            }
            // The window open at the checkpoint is written (flagged), then nothing: no row per
            // minute for ever.
            assertThat(mids(h)).extracting(m -> m.windowStart).containsExactly(lastWindow);
            assertThat(mids(h).get(0).bookStatus).isEqualTo("job_restarted");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldWriteNoWindowAtTheEndOfTheInputThatTheBooksInputNeverReached() throws Exception {
        // One source subtask's feeds end (its connections closed at the run's end) while another's
        // still move the watermark past a minute's end: this book is carried into the next
        // minute, of which its input saw nothing. At the end of the input that minute is not
        // written (no mid, no quote): the book's last window is the one its last message is in.
        List<BookEvent> book = oneBook(39, "coinbase", "BTC/USD", 200);
        long last = book.get(book.size() - 1).receivedAt;
        long lastWindow = StreamWindowsStart.first(last);
        try (var h = harness()) {
            h.open();
            feed(h, book, Long.MIN_VALUE);
            h.processWatermark(lastWindow + 60_000 + 5_000); // the other subtask's time
            h.processWatermark(Long.MAX_VALUE);

            assertThat(mids(h))
                    .extracting(m -> m.windowStart)
                    .isNotEmpty()
                    .allMatch(w -> w <= lastWindow)
                    .contains(lastWindow);
            assertThat(quotes(h))
                    .extracting(q -> q.windowStart)
                    .contains(lastWindow)
                    .allMatch(w -> w <= lastWindow);
            assertThat(h.getSideOutput(BookBuilder.SLICES))
                    .isNotEmpty()
                    .allMatch(r -> r.getValue().receivedAt < lastWindow + 60_000);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldEmitATopOfBookForEveryChangeOfTheBestPricesOrUsabilityAndForNoOtherMessage()
            throws Exception {
        List<BookEvent> input =
                routed(
                        script(40)
                                .exchanges(List.of("kraken"))
                                .updates(600)
                                .fault("kraken", StreamFault.CORRUPT_CHECKSUM, 200)
                                .build()
                                .messages(),
                        new ArrayList<>());
        // Independently: each book replayed on its own, its top as BigDecimals after every event,
        // one entry whenever it differs from the one before.
        List<String> expected = new ArrayList<>();
        Map<String, BookSync> books = new HashMap<>();
        Map<String, String> last = new HashMap<>();
        BookMessageHandler handler = new BookMessageHandler();
        for (BookEvent e : input) {
            String key = e.exchange + "|" + e.market;
            BookSync sync = books.computeIfAbsent(key, k -> BookSync.forExchange(e.exchange));
            handler.handle(e, sync, err -> {});
            var b = sync.book();
            String top =
                    sync.isSynced() && b.hasBothSides() && !b.isCrossed()
                            ? BigDecimal.valueOf(b.bestBid(), b.priceScale())
                                    + "/"
                                    + BigDecimal.valueOf(b.bestAsk(), b.priceScale())
                            : "unusable";
            if (!top.equals(last.getOrDefault(key, "unusable"))) {
                expected.add(key + "@" + e.receivedAt + " " + top);
            }
            last.put(key, top);
        }
        try (var h = harness()) {
            h.open();
            feed(h, input, Long.MIN_VALUE);
            h.processWatermark(Long.MAX_VALUE);
            List<String> tops = new ArrayList<>();
            h.getSideOutput(BookBuilder.TOPS)
                    .forEach(
                            r -> {
                                var t = r.getValue();
                                tops.add(
                                        t.exchange
                                                + "|"
                                                + t.market
                                                + "@"
                                                + t.time
                                                + " "
                                                + (t.usable ? t.bid + "/" + t.ask : "unusable"));
                            });
            assertThat(expected).anyMatch(t -> t.endsWith("unusable")); // the checksum failure
            assertThat(tops).hasSizeGreaterThan(100).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void shouldKeepConstantStateAcrossASilenceOfManyMinutesAndStillWriteEveryMinute()
            throws Exception {
        List<BookEvent> script = oneBook(37, "coinbase", "BTC/USD", 8);
        List<BookEvent> book = script.stream().filter(m -> m.market.equals("BTC/USD")).toList();
        BookEvent last = book.get(book.size() - 1);
        long silence = 240 * 60_000L; // four hours without a message, then one
        BookEvent after =
                Decoded.reset(
                        last.exchange,
                        last.market,
                        last.receivedAt + silence,
                        BookSync.Status.STALE.wireName());
        try (var h = harness()) {
            h.open();
            for (BookEvent m : book) {
                h.processElement(new StreamRecord<>(m, m.receivedAt));
            }
            h.processElement(
                    new StreamRecord<>(
                            after,
                            after.receivedAt)); // the watermark is still before the first message
            assertThat(h.numEventTimeTimers()).isLessThanOrEqualTo(2);
            assertThat(closedWindows(h, "coinbase|BTC/USD")).isLessThanOrEqualTo(1);

            h.processWatermark(Long.MAX_VALUE);
            List<MidPrice> mids = mids(h);
            long first = StreamWindowsStart.first(START);
            assertThat(mids)
                    .extracting(m -> m.windowStart)
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.rangeClosed(
                                            0,
                                            (StreamWindowsStart.first(after.receivedAt) - first)
                                                    / 60_000)
                                    .mapToObj(i -> first + i * 60_000)
                                    .toList());
            // every silent minute: the book stood still and usable the whole minute
            MidPrice silent = mids.get(5);
            assertThat(silent.bookStatus).isEqualTo("ok");
            assertThat(silent.goodMs).isEqualTo(60_000);
            assertThat(mids.subList(2, mids.size() - 1))
                    .allSatisfy(
                            m -> {
                                assertThat(m.bookStatus).isEqualTo("ok");
                                assertThat(m.mid).isEqualTo(silent.mid);
                                assertThat(m.samples).isEqualTo(1);
                            });
            assertThat(mids.get(mids.size() - 1).bookStatus).isEqualTo("stale_feed");
            assertThat(quotes(h).stream().map(q -> q.windowStart).distinct().count())
                    .isEqualTo(mids.size() - 1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void shouldWriteALateRowAndFlagTheWindowForAMessageOlderThanTheWindowItWouldChange()
            throws Exception {
        List<RawMessage> book =
                script(38)
                        .exchanges(List.of("kraken"))
                        .markets(List.of("BTC/USD"))
                        .updates(1_000)
                        .build()
                        .messages();
        // In its place in the feed (the book stays in step: the next checksums pass), one update
        // carries a time 90 s old: older than the window it changes, whose own window was written.
        int at = book.size() / 2;
        while (!book.get(at).payload.contains("\"update\"")) {
            at++;
        }
        RawMessage original = book.get(at);
        RawMessage late =
                new RawMessage(
                        original.exchange,
                        original.market,
                        original.kind,
                        original.receivedAt - 90_000,
                        0,
                        original.payload,
                        null);
        List<RawMessage> raw = new ArrayList<>(book);
        raw.set(at, late);
        List<IngestError> decodeErrors = new ArrayList<>();
        List<BookEvent> input = routed(raw, decodeErrors);
        assertThat(decodeErrors).isEmpty();
        long lateWindow = StreamWindowsStart.first(late.receivedAt);
        long flaggedWindow = StreamWindowsStart.first(raw.get(at - 1).receivedAt);
        try (var h = harness()) {
            h.open();
            feed(h, input, Long.MIN_VALUE);
            h.processWatermark(Long.MAX_VALUE);
            List<IngestError> errors = new ArrayList<>();
            if (h.getSideOutput(DeadLetters.TAG) != null) { // null: nothing was written to it
                h.getSideOutput(DeadLetters.TAG).forEach(r -> errors.add(r.getValue()));
            }
            assertThat(errors)
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.errorType).isEqualTo(IngestError.LATE);
                                assertThat(e.receivedAt).isEqualTo(late.receivedAt);
                                assertThat(e.payload).isEqualTo(late.payload);
                            });
            Map<Long, String> status =
                    mids(h).stream()
                            .collect(Collectors.toMap(m -> m.windowStart, m -> m.bookStatus));
            assertThat(status.get(lateWindow)).isEqualTo("ok");
            assertThat(status.get(flaggedWindow)).isEqualTo("late");
            // the book took the change (it stays in sync: the next checksums pass)
            assertThat(status.get(flaggedWindow + 60_000)).isEqualTo("ok");
        }
    }

    /** Entries of the closed-window map of one key. */
    private static int closedWindows(
            KeyedOneInputStreamOperatorTestHarness<String, BookEvent, MidPrice> h, String key)
            throws Exception {
        h.getOperator().setCurrentKey(key);
        org.apache.flink.api.common.state.MapState<Long, ?> closed =
                h.getOperator()
                        .getKeyedStateBackend()
                        .getPartitionedState(
                                org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                                BookBuilder.closedDescriptor());
        int n = 0;
        for (var ignored : closed.keys()) {
            n++;
        }
        return n;
    }

    private static int indexOfCorrupted(List<RawMessage> script) {
        for (int i = 0; i + 1 < script.size(); i++) {
            if (script.get(i + 1).payload.startsWith("{\"method\":\"unsubscribe\"")) {
                return i;
            }
        }
        throw new AssertionError("no corrupted message in the script");
    }

    /** The first window of a run starting at {@code start}. */
    private static final class StreamWindowsStart {
        static long first(long start) {
            return start / 60_000 * 60_000;
        }
    }

    /**
     * The expected outputs, computed independently of the builder's window code: segments of
     * constant book state integrated in BigDecimal, and BookWalker on a snapshot of the book at
     * each window's end. (The books themselves come from the same BookSync, tested on its own.)
     */
    private static final class Expected {
        final Map<String, BigDecimal> mids = new HashMap<>();
        final Map<String, Long> goodMs = new HashMap<>();
        final Map<String, Walk> quotes = new HashMap<>();

        static Expected of(List<BookEvent> input) {
            Expected e = new Expected();
            Map<String, List<BookEvent>> byKey =
                    input.stream().collect(Collectors.groupingBy(m -> m.exchange + "|" + m.market));
            byKey.forEach((key, messages) -> e.add(key, messages));
            return e;
        }

        private void add(String key, List<BookEvent> messages) {
            BookSync sync = BookSync.forExchange(messages.get(0).exchange);
            BookMessageHandler handler = new BookMessageHandler();
            Map<Long, BigDecimal> weighted = new HashMap<>();
            Map<Long, Long> good = new HashMap<>();
            long last = messages.get(0).receivedAt;
            for (BookEvent m : messages) {
                long t = m.receivedAt;
                while (last < t) {
                    long windowStart = last / 60_000 * 60_000;
                    long end = Math.min(t, windowStart + 60_000);
                    if (usable(sync)) {
                        BigDecimal mid =
                                BigDecimal.valueOf(
                                                sync.book().bestBid() + sync.book().bestAsk(),
                                                sync.book().priceScale())
                                        .divide(BigDecimal.valueOf(2));
                        weighted.merge(
                                windowStart,
                                mid.multiply(BigDecimal.valueOf(end - last)),
                                BigDecimal::add);
                        good.merge(windowStart, end - last, Long::sum);
                    }
                    if (end == windowStart + 60_000 && usable(sync)) {
                        OrderBookSnapshot book = sync.book().toSnapshot("x", "y", end, 0, 0);
                        for (Side side : Side.values()) {
                            for (long n : NOTIONALS) {
                                quotes.put(
                                        key + "|" + windowStart + "|" + side.wireName() + "|" + n,
                                        BookWalker.walk(book, side, BigDecimal.valueOf(n)));
                            }
                        }
                    }
                    last = end;
                }
                handler.handle(m, sync, err -> {});
            }
            // At the end of the input the last window is closed on the book after the last message.
            if (usable(sync)) {
                OrderBookSnapshot book = sync.book().toSnapshot("x", "y", last, 0, 0);
                for (Side side : Side.values()) {
                    for (long n : NOTIONALS) {
                        quotes.put(
                                key
                                        + "|"
                                        + (last / 60_000 * 60_000)
                                        + "|"
                                        + side.wireName()
                                        + "|"
                                        + n,
                                BookWalker.walk(book, side, BigDecimal.valueOf(n)));
                    }
                }
            }
            weighted.forEach(
                    (w, sum) -> {
                        mids.put(
                                key + "|" + w,
                                sum.divide(BigDecimal.valueOf(good.get(w)), BookWalker.MC));
                        goodMs.put(key + "|" + w, good.get(w));
                    });
            // windows with no usable time: mid 0
            long firstWindow = messages.get(0).receivedAt / 60_000 * 60_000;
            for (long w = firstWindow; w <= last; w += 60_000) {
                mids.putIfAbsent(key + "|" + w, BigDecimal.ZERO);
                goodMs.putIfAbsent(key + "|" + w, 0L);
            }
        }

        private static boolean usable(BookSync sync) {
            return sync.isSynced() && sync.book().hasBothSides() && !sync.book().isCrossed();
        }
    }
}
