package io.depthflow.job.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.functions.MinuteBookAggregator;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.ExchangeSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job as its users run it: the shaded jar on a real Flink session cluster (deploy/local: a
 * JobManager and a TaskManager JVM), submitted, stopped with a savepoint and resumed from it as an
 * upgrade would be, all through the deploy/local scripts; polling the exchange simulator over HTTP
 * and writing into the real ClickHouse engine (the embedded server on 127.0.0.1, reached from the
 * cluster JVMs).
 *
 * <p>Time: the job and the simulator share an accelerated clock ({@code --clock-speed 4
 * --clock-start T}: a minute window closes every 15 real seconds) anchored at the same instant in
 * both jobs, so event time continues across the upgrade. The job is stopped in the middle of a
 * minute, without draining: that minute's open window is in the savepoint and closes in the resumed
 * job.
 *
 * <p>Checked in ClickHouse: every minute between the first and the last written is present exactly
 * once through the BI views (coinbase, kraken and all per market; one best-execution row per
 * window, market, side and notional), with the values of an independent calculation over the raw
 * payloads; the minute that spans the upgrade counts the polls of both jobs; and the resumed job
 * reports the savepoint as restored.
 */
@ExtendWith(ClickHouseTestServer.class)
class ClusterUpgradeE2ECase {

    private static final int SPEED = 4;
    private static final long MINUTE = MinuteBookAggregator.WINDOW_MS;
    private static final List<String> MARKETS = List.of("BTC/USD", "ETH/USD");
    private static final List<String> EXCHANGES = List.of("coinbase", "kraken", "all");

    @TempDir Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldWriteEveryMinuteExactlyOnceAcrossAStopWithSavepointAndResume() throws Exception {
        Path jar = LocalFlinkCluster.repositoryRoot().resolve("job/target/depthflow-job.jar");
        assertThat(jar)
                .as("the shaded job jar: this test runs after `package` (./mvnw verify)")
                .isRegularFile();
        ClickHouseTestServer.resetSchema();

        long anchor = System.currentTimeMillis();
        AcceleratedClock clock = AcceleratedClock.anchoredAt(anchor, SPEED);
        long stopAt;
        String savepoint;
        JsonNode restored;
        try (ExchangeSimulator sim = ExchangeSimulator.builder().clock(clock).seed(23).start();
                LocalFlinkCluster cluster = LocalFlinkCluster.start(dir.resolve("cluster"))) {
            List<String> runArgs =
                    List.of(
                            "--coinbase-url", sim.baseUrl("coinbase"),
                            "--kraken-url", sim.baseUrl("kraken"),
                            // 20 s of clock time are 5 real seconds: within Kraken's default rate
                            // limit
                            // even when one source subtask polls both Kraken markets
                            "--interval", "20s",
                            "--out-of-orderness", "12s",
                            "--checkpoint-interval", "2s",
                            "--clock-speed", String.valueOf(SPEED),
                            "--clock-start", Instant.ofEpochMilli(anchor).toString(),
                            "--clickhouse-url", ClickHouseTestServer.jdbcUrl());

            // 1. the current release runs and writes its first minutes
            String first = cluster.submit(2, runArgs);
            awaitCompleteWindows(2, 90);

            // 2. stop it with a savepoint in the middle of a minute (after its :00 poll)
            stopAt = awaitClockBetween(clock, 20_000, 35_000);
            savepoint = cluster.stopWithSavepoint(first);
            assertThat(cluster.jobState(first)).isEqualTo("FINISHED");
            assertThat(savepoint).contains(cluster.dir().resolve("savepoints").toString());

            // 3. the "new release" from that savepoint, all state claimed
            String second = cluster.resume(savepoint, 2, runArgs);
            assertThat(second).isNotEqualTo(first);
            long stopWindow = MinuteBookAggregator.windowStart(stopAt);
            awaitAllMidsThrough(stopWindow + MINUTE, 90);
            restored = cluster.checkpoints(second).path("latest").path("restored");
            cluster.cancel(second);
        }

        // the resumed job restored exactly that savepoint
        assertThat(restored.path("is_savepoint").asBoolean()).as("restored: %s", restored).isTrue();
        assertThat(stripScheme(restored.path("external_path").asText()))
                .isEqualTo(stripScheme(savepoint));

        // every minute between the first and the last complete one, exactly once per view key
        long firstMinute = firstWindow();
        long lastMinute = lastCompleteWindow();
        long stopWindow = MinuteBookAggregator.windowStart(stopAt);
        assertThat(stopWindow).isGreaterThan(firstMinute).isLessThan(lastMinute);
        Map<String, Integer> midRows = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start), market, exchange, count() FROM bi_mid_price_1m"
                                + " GROUP BY window_start, market, exchange")) {
            midRows.put(r.get(0) + "|" + r.get(1) + "|" + r.get(2), Integer.parseInt(r.get(3)));
        }
        for (long w = firstMinute; w <= lastMinute; w += MINUTE) {
            for (String market : MARKETS) {
                for (String exchange : EXCHANGES) {
                    assertThat(midRows.get(w + "|" + market + "|" + exchange))
                            .as(
                                    "rows of %s %s %s in bi_mid_price_1m",
                                    Instant.ofEpochMilli(w), market, exchange)
                            .isEqualTo(1);
                }
            }
        }

        // the values are those of an independent calculation over the raw payloads of both jobs
        IndependentCalculation expected =
                IndependentCalculation.of(
                        rawCapture(), IndependentCalculation.jobDefaultNotionals());
        assertMidsMatch(expected, firstMinute, lastMinute);
        assertBestExecutionMatches(expected, firstMinute, lastMinute);

        // the minute of the upgrade holds the first job's polls (from the savepoint) and the
        // second's
        for (String market : MARKETS) {
            for (String exchange : List.of("coinbase", "kraken")) {
                long before = polls(exchange, market, stopWindow, stopAt);
                long all = polls(exchange, market, stopWindow, stopWindow + MINUTE);
                assertThat(before).as("%s %s polls before the stop", exchange, market).isPositive();
                assertThat(
                                ClickHouseTestServer.query(
                                        "SELECT samples FROM mid_price_1m FINAL WHERE exchange = '"
                                                + exchange
                                                + "' AND market = '"
                                                + market
                                                + "' AND toUnixTimestamp64Milli(window_start) = "
                                                + stopWindow))
                        .as("samples of %s %s in the minute of the upgrade", exchange, market)
                        .containsExactly(List.of(String.valueOf(all)));
            }
        }
    }

    /**
     * Waits until the views hold coinbase, kraken and all mids of both markets for {@code window}.
     */
    private static void awaitAllMidsThrough(long window, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            Long last = lastCompleteWindow();
            if (last != null && last >= window) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no complete minute "
                                + Instant.ofEpochMilli(window)
                                + " after "
                                + timeoutSeconds
                                + " s; last complete: "
                                + (last == null ? "none" : Instant.ofEpochMilli(last)));
            }
            Thread.sleep(500);
        }
    }

    private static void awaitCompleteWindows(int windows, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            Long first = firstWindow();
            Long last = lastCompleteWindow();
            if (first != null && last != null && (last - first) / MINUTE + 1 >= windows) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        windows
                                + " minutes not written within "
                                + timeoutSeconds
                                + " s of the submission");
            }
            Thread.sleep(500);
        }
    }

    /** The latest window with all six mids (3 exchanges x 2 markets); null when there is none. */
    private static Long lastCompleteWindow() throws Exception {
        List<List<String>> r =
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start) AS w FROM bi_mid_price_1m GROUP BY w"
                                + " HAVING count() = 6 ORDER BY w DESC LIMIT 1");
        return r.isEmpty() ? null : Long.parseLong(r.get(0).get(0));
    }

    private static Long firstWindow() throws Exception {
        List<List<String>> r =
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(min(window_start)), count() FROM bi_mid_price_1m");
        return "0".equals(r.get(0).get(1)) ? null : Long.parseLong(r.get(0).get(0));
    }

    /**
     * Waits until the clock is between {@code fromMs} and {@code toMs} into a minute; that time.
     */
    private static long awaitClockBetween(AcceleratedClock clock, long fromMs, long toMs)
            throws InterruptedException {
        long now = clock.currentTimeMillis();
        long into = Math.floorMod(now, MINUTE);
        if (into < fromMs || into >= toMs) {
            Thread.sleep(clock.toRealMillis(Math.floorMod(fromMs - into, MINUTE)));
        }
        return clock.currentTimeMillis();
    }

    /** Usable polls of one book received in [from, to): responses that were not late. */
    private static long polls(String exchange, String market, long from, long to) throws Exception {
        return Long.parseLong(
                ClickHouseTestServer.query(
                                "SELECT count() FROM raw_order_books FINAL WHERE exchange = '"
                                        + exchange
                                        + "' AND market = '"
                                        + market
                                        + "' AND http_status = 200 AND toUnixTimestamp64Milli(received_at) >= "
                                        + from
                                        + " AND toUnixTimestamp64Milli(received_at) < "
                                        + to
                                        + " AND (exchange, market, received_at) NOT IN (SELECT exchange, market, received_at"
                                        + " FROM ingest_errors FINAL WHERE error_type = 'late')")
                        .get(0)
                        .get(0));
    }

    /**
     * Every response in the bronze table, as capture lines, minus snapshots the job reported late.
     */
    private static List<String> rawCapture() throws Exception {
        List<String> lines = new ArrayList<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(received_at), http_status, payload FROM raw_order_books FINAL"
                                + " WHERE (exchange, market, received_at) NOT IN"
                                + " (SELECT exchange, market, received_at FROM ingest_errors FINAL WHERE error_type = 'late')"
                                + " ORDER BY received_at")) {
            lines.add(
                    CaptureFormat.encode(
                            RawMessage.restResponse(
                                    r.get(0),
                                    r.get(1),
                                    Long.parseLong(r.get(2)),
                                    Integer.parseInt(r.get(3)),
                                    r.get(4))));
        }
        return lines;
    }

    private static void assertMidsMatch(IndependentCalculation expected, long from, long to)
            throws Exception {
        Map<String, BigDecimal> actual = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start), market, exchange, toString(mid) FROM bi_mid_price_1m"
                                + " WHERE toUnixTimestamp64Milli(window_start) BETWEEN "
                                + from
                                + " AND "
                                + to)) {
            actual.put(r.get(0) + "|" + r.get(1) + "|" + r.get(2), new BigDecimal(r.get(3)));
        }
        Map<String, BigDecimal> wanted = inRange(expected.mids, from, to);
        assertThat(actual.keySet()).isEqualTo(wanted.keySet());
        wanted.forEach((k, v) -> assertClose(k, actual.get(k), v));
    }

    private static void assertBestExecutionMatches(
            IndependentCalculation expected, long from, long to) throws Exception {
        Map<String, String> venues = new TreeMap<>();
        Map<String, BigDecimal> prices = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start), market, side, notional, exchange, toString(avg_price), count() OVER"
                                + " (PARTITION BY window_start, market, side, notional) FROM bi_best_execution_1m"
                                + " WHERE toUnixTimestamp64Milli(window_start) BETWEEN "
                                + from
                                + " AND "
                                + to)) {
            assertThat(r.get(6)).as("rows per window/market/side/notional").isEqualTo("1");
            String k = r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3);
            venues.put(k, r.get(4));
            prices.put(k, new BigDecimal(r.get(5)));
        }
        assertThat(venues).isEqualTo(inRange(expected.bestVenue, from, to));
        inRange(expected.bestPrice, from, to).forEach((k, v) -> assertClose(k, prices.get(k), v));
    }

    private static <V> Map<String, V> inRange(Map<String, V> byWindowKey, long from, long to) {
        Map<String, V> out = new TreeMap<>();
        byWindowKey.forEach(
                (k, v) -> {
                    long w = Long.parseLong(k.substring(0, k.indexOf('|')));
                    if (w >= from && w <= to) {
                        out.put(k, v);
                    }
                });
        return out;
    }

    private static void assertClose(String key, BigDecimal actual, BigDecimal expected) {
        assertThat(actual).as("%s", key).isNotNull();
        BigDecimal rel =
                actual.subtract(expected).abs().divide(expected.abs(), MathContext.DECIMAL64);
        assertThat(rel)
                .as("%s: %s vs expected %s", key, actual, expected)
                .isLessThanOrEqualTo(new BigDecimal("1e-9"));
    }

    private static String stripScheme(String path) {
        return path.replaceFirst("^file:/*", "/");
    }
}
