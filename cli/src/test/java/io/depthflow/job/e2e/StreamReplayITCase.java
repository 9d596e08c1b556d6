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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/depthflow run --replay FILE} over a WebSocket capture of both exchanges (a corrupted
 * Kraken checksum and a dropped Coinbase message included): stream mode is picked from the file,
 * every quote equals the independent reference's, and replaying the file again leaves each window
 * once in the BI views.
 */
@ExtendWith(ClickHouseTestServer.class)
class StreamReplayITCase {

    /** An hour ago (raw_order_books keeps 30 days: stay recent), 20 s into a minute. */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L + 20_000L;

    @TempDir static Path dir;

    static Path capture;

    @BeforeAll
    static void writeCapture() throws Exception {
        ClickHouseTestServer.resetSchema();
        capture = dir.resolve("ws.jsonl");
        try (CaptureWriter w = CaptureWriter.append(capture)) {
            for (RawMessage m :
                    StreamScript.builder()
                            .seed(77)
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

    private static void replay() {
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
                            "--parallelism",
                            "2"
                        },
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void shouldReplayAWebSocketCaptureInStreamModeOnceThroughTheViewsWithTheReferencesQuotes()
            throws Exception {
        replay();
        replay();

        StreamReference reference =
                StreamReference.of(
                        CaptureReader.readAll(capture),
                        IndependentCalculation.jobDefaultNotionals());
        Map<String, String> written = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(window_start), side, notional, toString(avg_price), complete,"
                                + " count() OVER (PARTITION BY window_start, exchange, market, side, notional) FROM execution_quotes_1m FINAL")) {
            assertThat(r.get(7)).isEqualTo("1");
            written.put(
                    r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3) + "|" + r.get(4),
                    new BigDecimal(r.get(5)).stripTrailingZeros().toPlainString() + " " + r.get(6));
        }
        assertThat(written).isEqualTo(reference.quotes());

        // 300 s from :20: six windows per book, each once through the view
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, count(), uniqExact(window_start) FROM bi_mid_price_1m WHERE exchange != 'all' GROUP BY exchange, market")) {
            assertThat(r.get(2)).as(r.toString()).isEqualTo(r.get(3)).isEqualTo("6");
        }
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT error_type, count() FROM ingest_errors FINAL GROUP BY error_type ORDER BY error_type"))
                .containsExactly(List.of("checksum_mismatch", "1"), List.of("sequence_gap", "1"));
        assertThat(
                        ClickHouseTestServer.query("SELECT count() FROM bi_best_execution_1m")
                                .get(0)
                                .get(0))
                .isNotEqualTo("0");
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT DISTINCT kind FROM raw_order_books ORDER BY kind"))
                .containsExactly(List.of("ws"), List.of("ws_event"));
    }
}
