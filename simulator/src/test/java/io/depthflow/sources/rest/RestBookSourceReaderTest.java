package io.depthflow.sources.rest;

import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader against the real simulator over real HTTP, on an accelerated clock. */
class RestBookSourceReaderTest {

    private static final long START = Instant.parse("2026-11-20T11:45:00Z").toEpochMilli();

    /** 10 s of clock time per 500 ms of real time. */
    private static final double FACTOR = 20;

    private static final long INTERVAL_MS = 10_000;

    private ExchangeSimulator simulator;
    private SourceClock clock;

    @BeforeEach
    void start() throws Exception {
        clock = new AcceleratedClock(START, FACTOR);
        simulator =
                ExchangeSimulator.builder().clock(clock).slowDelay(Duration.ofSeconds(1)).start();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private RestBookSourceBuilder builder() {
        return RestBookSource.builder()
                .setBaseUrl(CoinbaseVenue.NAME, simulator.baseUrl(CoinbaseVenue.NAME))
                .setBaseUrl(KrakenVenue.NAME, simulator.baseUrl(KrakenVenue.NAME))
                .setClock(clock)
                .setInterval(Duration.ofMillis(INTERVAL_MS))
                .setConnectTimeout(Duration.ofMillis(300))
                .setRequestTimeout(Duration.ofMillis(300))
                .setRetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .setRateLimit(CoinbaseVenue.NAME, 100, 10)
                .setRateLimit(KrakenVenue.NAME, 100, 10);
    }

    private static String outcome(RawMessage raw) {
        try {
            BookParsers.parse(raw);
            return "ok";
        } catch (BookParseException e) {
            return e.errorType();
        }
    }

    @Test
    void shouldPollEverySplitOnTheClockGridUntilMaxPolls() throws Exception {
        // Slower than the other tests (1 s real per tick), so that scheduling jitter on a busy
        // machine stays well inside the half-tick the alignment assertion allows.
        SourceClock slower = new AcceleratedClock(START, 10);
        RestBookSource source = builder().setClock(slower).setMaxPolls(3).build();
        List<RestBookSplit> splits = source.config().initialSplits(slower.currentTimeMillis());

        try (ReaderDriver driver = new ReaderDriver(source, splits)) {
            List<RawMessage> records = driver.runToEnd(10_000);

            assertThat(records).hasSize(12);
            assertThat(records).extracting(RestBookSourceReaderTest::outcome).containsOnly("ok");
            assertThat(driver.output.timestamps)
                    .containsExactlyElementsOf(
                            records.stream().map(r -> r.receivedAt).collect(Collectors.toList()));
            Map<String, List<RawMessage>> bySplit =
                    records.stream()
                            .collect(Collectors.groupingBy(r -> r.exchange + ":" + r.market));
            assertThat(bySplit)
                    .containsOnlyKeys(
                            "coinbase:BTC/USD",
                            "coinbase:ETH/USD",
                            "kraken:BTC/USD",
                            "kraken:ETH/USD");
            for (List<RawMessage> polls : bySplit.values()) {
                long firstTick = Math.floorDiv(polls.get(0).receivedAt, INTERVAL_MS);
                for (int i = 0; i < polls.size(); i++) {
                    long receivedAt = polls.get(i).receivedAt;
                    // One poll per tick, answered early in the tick: aligned to the grid.
                    assertThat(Math.floorDiv(receivedAt, INTERVAL_MS)).isEqualTo(firstTick + i);
                    assertThat(Math.floorMod(receivedAt, INTERVAL_MS)).isLessThan(INTERVAL_MS / 2);
                }
            }
            assertThat(driver.counter(RestBookReaderMetrics.POLLS)).isEqualTo(12);
            assertThat(driver.counter(RestBookReaderMetrics.POLL_FAILURES)).isZero();
            assertThat(driver.counter("exchange", "kraken", RestBookReaderMetrics.POLLS))
                    .isEqualTo(6);
            assertThat(driver.gauge(RestBookReaderMetrics.LAST_POLL_LATENCY_MS)).isNotNegative();
            assertThat(driver.reader.snapshotState(1L)).isEmpty();
        }
        assertThat(simulator.requestCount(CoinbaseVenue.NAME)).isEqualTo(6);
        assertThat(simulator.requestCount(KrakenVenue.NAME)).isEqualTo(6);
    }

    @Test
    void shouldEmitFailuresAsRecordsAndKeepPolling() throws Exception {
        simulator.injectFault(KrakenVenue.NAME, Fault.HTTP_500, 1);
        simulator.injectFault(KrakenVenue.NAME, Fault.HTTP_429, 1);
        simulator.injectFault(KrakenVenue.NAME, Fault.SLOW, 1);
        simulator.injectFault(KrakenVenue.NAME, Fault.MALFORMED_JSON, 1);
        simulator.injectFault(CoinbaseVenue.NAME, Fault.HTTP_500, 2);
        RestBookSource source = builder().setMarkets("BTC/USD").setMaxPolls(5).build();
        List<RestBookSplit> splits = source.config().initialSplits(clock.currentTimeMillis());

        try (ReaderDriver driver = new ReaderDriver(source, splits)) {
            List<RawMessage> records = driver.runToEnd(15_000);

            List<RawMessage> kraken =
                    records.stream()
                            .filter(r -> r.exchange.equals(KrakenVenue.NAME))
                            .collect(Collectors.toList());
            assertThat(kraken).extracting(r -> r.httpStatus).startsWith(500, 429, 0, 200);
            assertThat(kraken.get(2).error)
                    .startsWith("GET http://127.0.0.1:")
                    .contains(": HttpTimeoutException: request timed out");
            assertThat(kraken)
                    .extracting(RestBookSourceReaderTest::outcome)
                    .startsWith(
                            IngestError.HTTP,
                            IngestError.HTTP,
                            IngestError.TRANSPORT,
                            IngestError.MALFORMED)
                    .endsWith("ok");
            assertThat(kraken.subList(4, kraken.size()))
                    .extracting(RestBookSourceReaderTest::outcome)
                    .containsOnly("ok");

            List<RawMessage> coinbase =
                    records.stream()
                            .filter(r -> r.exchange.equals(CoinbaseVenue.NAME))
                            .collect(Collectors.toList());
            assertThat(coinbase).extracting(r -> r.httpStatus).startsWith(500, 500).endsWith(200);
            // The 500s were retried within the first tick, so all five scheduled polls succeeded.
            assertThat(coinbase).hasSize(7);

            assertThat(driver.counter("exchange", "kraken", RestBookReaderMetrics.POLL_FAILURES))
                    .isEqualTo(3);
            assertThat(driver.counter("exchange", "coinbase", RestBookReaderMetrics.POLL_FAILURES))
                    .isEqualTo(2);
            assertThat(driver.counter(RestBookReaderMetrics.POLLS)).isEqualTo(records.size());
        }
    }

    @Test
    void shouldCheckpointTheNextScheduledPollAndResumeFromIt() throws Exception {
        RestBookSource source =
                builder()
                        .setExchanges(KrakenVenue.NAME)
                        .setMarkets("ETH/USD")
                        .setMaxPolls(3)
                        .build();
        List<RestBookSplit> splits = source.config().initialSplits(clock.currentTimeMillis());

        RestBookSplit checkpointed;
        long firstReceivedAt;
        try (ReaderDriver driver = new ReaderDriver(source, splits)) {
            assertThat(driver.pollUntil(records -> records.size() == 1, 5_000)).isTrue();
            firstReceivedAt = driver.output.getEmittedRecords().get(0).receivedAt;
            List<RestBookSplit> state = driver.reader.snapshotState(1L);
            assertThat(state).hasSize(1);
            checkpointed = state.get(0);
        }
        assertThat(checkpointed.splitId()).isEqualTo("kraken:ETH/USD");
        assertThat(checkpointed.pollsDone()).isEqualTo(1);
        assertThat(checkpointed.nextPollAt())
                .isGreaterThan(firstReceivedAt)
                .isEqualTo(Math.floorDiv(firstReceivedAt, INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS);
        assertThat(checkpointed.stopAt()).isEqualTo(Long.MAX_VALUE);

        try (ReaderDriver restored = new ReaderDriver(source, List.of(checkpointed))) {
            List<RawMessage> records = restored.runToEnd(5_000);
            assertThat(records).hasSize(2);
            assertThat(records.get(0).receivedAt).isGreaterThanOrEqualTo(checkpointed.nextPollAt());
        }
    }

    @Test
    void shouldStopPollingAtTheEndOfTheDuration() throws Exception {
        RestBookSource source =
                builder()
                        .setExchanges(CoinbaseVenue.NAME)
                        .setMarkets("BTC/USD")
                        .setDuration(Duration.ofMillis(3 * INTERVAL_MS))
                        .build();
        long now = clock.currentTimeMillis();
        List<RestBookSplit> splits = source.config().initialSplits(now);
        assertThat(splits.get(0).stopAt()).isEqualTo(now + 3 * INTERVAL_MS);

        try (ReaderDriver driver = new ReaderDriver(source, splits)) {
            List<RawMessage> records = driver.runToEnd(5_000);

            // Ticks in [now, now + 3 intervals): three of them, or two when a loaded machine starts
            // the reader after the first tick (an overdue tick is polled once, not replayed). None
            // after the end of the duration, and the reader finishes by itself.
            assertThat(records).hasSizeBetween(2, 3);
            assertThat(records)
                    .allSatisfy(
                            r ->
                                    assertThat(r.receivedAt)
                                            .isLessThan(now + 3 * INTERVAL_MS + INTERVAL_MS));
        }
    }

    @Test
    void shouldEmitTransportFailuresWhenTheExchangeIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RestBookSource source =
                builder()
                        .setExchanges(KrakenVenue.NAME)
                        .setMarkets("BTC/USD")
                        .setBaseUrl(KrakenVenue.NAME, "http://127.0.0.1:" + closedPort + "/kraken")
                        .setMaxPolls(2)
                        .build();

        try (ReaderDriver driver =
                new ReaderDriver(
                        source, source.config().initialSplits(clock.currentTimeMillis()))) {
            List<RawMessage> records = driver.runToEnd(5_000);

            // Each of the 2 polls fails, and so do its retries within the tick.
            assertThat(records).hasSizeGreaterThanOrEqualTo(2);
            assertThat(records)
                    .allSatisfy(
                            r -> {
                                assertThat(r.hasResponse()).isFalse();
                                assertThat(r.error)
                                        .startsWith(
                                                "GET http://127.0.0.1:"
                                                        + closedPort
                                                        + "/kraken/0/public/Depth?pair=XBTUSD")
                                        .contains(": ConnectException");
                                assertThat(outcome(r)).isEqualTo(IngestError.TRANSPORT);
                            });
            assertThat(driver.counter(RestBookReaderMetrics.POLL_FAILURES))
                    .isEqualTo(records.size());
        }
    }

    @Test
    void shouldCloseWithoutWaitingForARequestInFlight() throws Exception {
        simulator.injectFault(CoinbaseVenue.NAME, Fault.SLOW, 1);
        RestBookSource source =
                builder()
                        .setExchanges(CoinbaseVenue.NAME)
                        .setMarkets("BTC/USD")
                        .setRequestTimeout(Duration.ofSeconds(5))
                        .build();
        // A split due now, so its request is in flight (and slow) right away.
        RestBookSplit due =
                new RestBookSplit(
                        CoinbaseVenue.NAME,
                        "BTC/USD",
                        clock.currentTimeMillis(),
                        0,
                        Long.MAX_VALUE);
        ReaderDriver driver = new ReaderDriver(source, List.of(due));
        driver.reader.pollNext(driver.output);
        while (simulator.requestCount(CoinbaseVenue.NAME) == 0) {
            Thread.sleep(5);
        }

        long started = System.nanoTime();
        driver.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(driver.output.getEmittedRecords()).isEmpty();
    }
}
