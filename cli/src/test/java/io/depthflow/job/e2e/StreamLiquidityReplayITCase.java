package io.depthflow.job.e2e;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.cli.Main;
import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.capture.CaptureWriter;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamScript;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream mode's liquidity views: {@code bin/depthflow run --replay FILE} over a WebSocket capture
 * of both venues (a corrupted Kraken checksum and a dropped Coinbase message included: the books
 * resync before their windows end), replayed twice, and every liquidity view compared with {@link
 * IndependentLiquidity} on {@link StreamReference}'s books at each window's end, to 1e-9 relative,
 * each key once; the time-weighted depth bands of each venue's rows against the reference's own
 * integral of its books over each window's usable time (NULL on the consolidated rows).
 * Dislocations need venues that cross, which the stream simulator never makes: the arbitrage view
 * is checked to be as empty as the reference's; {@link LiquidityReplayITCase} checks non-empty
 * ones.
 */
@ExtendWith(ClickHouseTestServer.class)
class StreamLiquidityReplayITCase {

    /** An hour ago (raw_order_books keeps 30 days: stay recent), 20 s into a minute. */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L + 20_000L;

    static final long[] NOTIONALS = {10_000, 100_000};
    static final int[] BANDS = {1, 5, 25};
    static final Map<String, BigDecimal> FEES =
            Map.of("coinbase", new BigDecimal("0"), "kraken", new BigDecimal("2.5"));

    @TempDir static Path dir;

    static Path capture;

    @BeforeAll
    static void writeCapture() throws Exception {
        capture = dir.resolve("ws.jsonl");
        try (CaptureWriter w = CaptureWriter.append(capture)) {
            for (RawMessage m :
                    StreamScript.builder()
                            .seed(78)
                            .start(START)
                            .stepMillis(200)
                            .updates(1_500)
                            .fault("kraken", StreamFault.CORRUPT_CHECKSUM, 400)
                            .fault("coinbase", StreamFault.DROP_MESSAGE, 900)
                            .build()
                            .messages()) {
                w.write(m);
            }
        }
    }

    @Test
    void shouldMatchTheReferenceInEveryLiquidityViewOnceAfterTwoReplays() throws Exception {
        ClickHouseTestServer.resetSchema();
        for (int run = 0; run < 2; run++) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code =
                    Main.execute(
                            new String[] {
                                "run",
                                "--replay",
                                capture.toString(),
                                "--clickhouse-url",
                                ClickHouseTestServer.jdbcUrl(),
                                "--quiet",
                                "--web-port",
                                "0",
                                "--no-dashboard",
                                "--parallelism",
                                "2",
                                "--notionals",
                                "10000,100000",
                                "--bands",
                                "1,5,25",
                                "--taker-fee-bps",
                                "coinbase=0,kraken=2.5"
                            },
                            new PrintStream(
                                    new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        }
        StreamReference reference =
                StreamReference.of(CaptureReader.readAll(capture), NOTIONALS, BANDS);
        assertThat(reference.windowBooks().values())
                .as("windows with both venues")
                .anyMatch(v -> v.size() == 2);
        IndependentLiquidity expected =
                IndependentLiquidity.of(reference.windowBooks(), FEES, BANDS, NOTIONALS);
        assertThat(expected.routes).isNotEmpty();
        LiquidityReplayITCase.assertLiquidityViewsMatch(expected);

        // Time-weighted bands: each venue's row against the reference's integral over the window's
        // usable time; the consolidated rows ('all') have none.
        Map<String, List<Object>> timeWeighted = new TreeMap<>();
        for (String key : expected.bands.keySet()) {
            List<Object> tw = reference.timeWeightedBands().get(key);
            timeWeighted.put(
                    key,
                    key.split("\\|")[2].equals("all") || tw == null
                            ? Arrays.asList(null, null)
                            : tw);
        }
        assertThat(timeWeighted.values())
                .as("venue rows with time-weighted bands")
                .anyMatch(v -> v.get(0) != null);
        LiquidityReplayITCase.assertRows(
                "bi_liquidity_1m (time-weighted)",
                "SELECT toUnixTimestamp64Milli(window_start), market, exchange, band_bps, toString(tw_bid_notional),"
                        + " toString(tw_ask_notional), count() OVER (PARTITION BY window_start, market, exchange, band_bps)"
                        + " FROM bi_liquidity_1m",
                4,
                timeWeighted);
        // Averaged, not the window's end: the books moved within the minutes.
        assertThat(
                        ClickHouseTestServer.query(
                                        "SELECT count() FROM bi_liquidity_1m WHERE exchange != 'all'"
                                                + " AND tw_bid_notional IS NOT NULL AND tw_bid_notional != bid_notional")
                                .get(0)
                                .get(0))
                .isNotEqualTo("0");
    }
}
