package io.depthflow.job.e2e;

import io.depthflow.sources.simulator.StreamFault;
import static org.assertj.core.api.Assertions.assertThat;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.cli.Main;
import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.capture.CaptureWriter;
import io.depthflow.sources.model.RawMessage;
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
import java.util.Map;

/**
 * Stream mode's liquidity views: {@code bin/depthflow run --replay FILE} over a WebSocket capture of
 * both venues (a corrupted Kraken checksum and a dropped Coinbase message included: the books
 * resync before their windows end), replayed twice, and every
 * liquidity view compared with {@link IndependentLiquidity} on {@link StreamReference}'s books at
 * each window's end, to 1e-9 relative, each key once. Dislocations need venues that cross, which
 * the stream simulator never makes: the arbitrage view is checked to be as empty as the
 * reference's; {@link LiquidityReplayITCase} checks non-empty ones.
 */
@ExtendWith(ClickHouseTestServer.class)
class StreamLiquidityReplayITCase {

    /** An hour ago (raw_order_books keeps 30 days: stay recent), 20 s into a minute. */
    private static final long START = (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L + 20_000L;

    static final long[] NOTIONALS = {10_000, 100_000};
    static final int[] BANDS = {1, 5, 25};
    static final Map<String, BigDecimal> FEES = Map.of("coinbase", new BigDecimal("0"), "kraken", new BigDecimal("2.5"));

    @TempDir
    static Path dir;

    static Path capture;

    @BeforeAll
    static void writeCapture() throws Exception {
        capture = dir.resolve("ws.jsonl");
        try (CaptureWriter w = CaptureWriter.append(capture)) {
            for (RawMessage m : StreamScript.builder().seed(78).start(START).stepMillis(200).updates(1_500)
                    .fault("kraken", StreamFault.CORRUPT_CHECKSUM, 400).fault("coinbase", StreamFault.DROP_MESSAGE, 900).build().messages()) {
                w.write(m);
            }
        }
    }

    @Test
    void shouldMatchTheReferenceInEveryLiquidityViewOnceAfterTwoReplays() throws Exception {
        ClickHouseTestServer.resetSchema();
        for (int run = 0; run < 2; run++) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.execute(new String[] {"run", "--replay", capture.toString(),
                            "--clickhouse-url", ClickHouseTestServer.jdbcUrl(), "--quiet", "--web-port", "0", "--no-dashboard",
                            "--parallelism", "2", "--notionals", "10000,100000", "--bands", "1,5,25",
                            "--taker-fee-bps", "coinbase=0,kraken=2.5"},
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        }
        StreamReference reference = StreamReference.of(CaptureReader.readAll(capture), NOTIONALS);
        assertThat(reference.windowBooks().values()).as("windows with both venues").anyMatch(v -> v.size() == 2);
        IndependentLiquidity expected = IndependentLiquidity.of(reference.windowBooks(), FEES, BANDS, NOTIONALS);
        assertThat(expected.routes).isNotEmpty();
        LiquidityReplayITCase.assertLiquidityViewsMatch(expected);
        assertThat(ClickHouseTestServer.query("SELECT count() FROM bi_liquidity_1m WHERE tw_bid_notional IS NOT NULL").get(0).get(0))
                .as("time-weighted bands are not computed yet").isEqualTo("0");
    }
}
