package io.depthflow.job.e2e;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.cli.Main;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.model.RawMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "A minute never gets worse", through the real job ({@code run --replay}: Flink mini cluster, the
 * ClickHouse sinks, the embedded ClickHouse) and read back through the BI views.
 *
 * <ol>
 *   <li>A minute is written complete: 3 polls of each of two exchanges.
 *   <li>The same minute is written again from less data, as a job restored from a checkpoint taken
 *       after kraken's second poll re-emits it: kraken's first 2 polls only, at other prices. With
 *       the old version rule (the write time) these rows replaced the complete ones (kraken's mid,
 *       the `all` mid over one exchange, the best venue chosen among one); now the views still show
 *       the complete minute.
 *   <li>The same minute is written again from as much data (a backfill with fixed code: other
 *       coinbase prices): it replaces the rows.
 * </ol>
 */
@ExtendWith(ClickHouseTestServer.class)
class MinuteNeverGetsWorseITCase {

    /** An hour ago, on a minute boundary (raw_order_books keeps 30 days: stay recent). */
    private static final long MINUTE =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L;

    @TempDir Path dir;

    private static RawMessage coinbase(long at, String bid, String ask) {
        return RawMessage.restResponse(
                "coinbase",
                "BTC/USD",
                at,
                200,
                "{\"sequence\":1,\"bids\":[[\""
                        + bid
                        + "\",\"2000\",3]],\"asks\":[[\""
                        + ask
                        + "\",\"2000\",2]],"
                        + "\"time\":\"2026-12-06T05:00:00.000Z\"}");
    }

    private static RawMessage kraken(long at, String bid, String ask) {
        return RawMessage.restResponse(
                "kraken",
                "BTC/USD",
                at,
                200,
                "{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[[\""
                        + ask
                        + "\",\"2000\",1764990000]],"
                        + "\"bids\":[[\""
                        + bid
                        + "\",\"2000\",1764990000]]}}}");
    }

    private void replay(String name, List<RawMessage> messages) throws Exception {
        List<String> lines = new ArrayList<>();
        messages.forEach(m -> lines.add(CaptureFormat.encode(m)));
        Path capture = dir.resolve(name + ".jsonl");
        Files.write(capture, lines, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        new String[] {
                            "run",
                            "--replay",
                            capture.toString(),
                            "--clickhouse-url",
                            ClickHouseTestServer.jdbcUrl(),
                            "--web-port",
                            "0",
                            "--quiet",
                            "--notionals",
                            "50000,100000"
                        }, // the best-execution rows below are of these two
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("%s: exit code; stderr: %s", name, err).isZero();
    }

    private static List<RawMessage> fullMinute(String coinbaseBid, String coinbaseAsk) {
        List<RawMessage> m = new ArrayList<>();
        for (long at : new long[] {5_000, 25_000, 45_000}) {
            m.add(coinbase(MINUTE + at, coinbaseBid, coinbaseAsk));
            m.add(kraken(MINUTE + at + 300, "100.2", "100.6"));
        }
        return m;
    }

    private static List<String> mids() throws Exception {
        List<String> rows = new ArrayList<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, toString(mid), samples, toString(exchanges), exchange_samples, partial FROM bi_mid_price_1m"
                                + " WHERE toUnixTimestamp64Milli(window_start) = "
                                + MINUTE
                                + " ORDER BY exchange")) {
            rows.add(String.join(" ", r));
        }
        return rows;
    }

    private static List<String> best() throws Exception {
        List<String> rows = new ArrayList<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT side, notional, exchange, toString(avg_price), toString(exchanges) FROM bi_best_execution_1m"
                                + " WHERE toUnixTimestamp64Milli(window_start) = "
                                + MINUTE
                                + " ORDER BY side, notional")) {
            rows.add(String.join(" ", r));
        }
        return rows;
    }

    @Test
    void shouldKeepTheCompleteMinuteAgainstALessCompleteReEmissionAndTakeAnEquallyCompleteBackfill()
            throws Exception {
        ClickHouseTestServer.resetSchema();

        replay("complete", fullMinute("100", "101"));
        List<String> complete =
                List.of(
                        "all 100.45 2 ['coinbase','kraken'] 6 0",
                        "coinbase 100.5 3 ['coinbase'] 3 0",
                        "kraken 100.4 3 ['kraken'] 3 0");
        List<String> completeBest =
                List.of(
                        "buy 50000 kraken 100.6 ['coinbase','kraken']",
                        "buy 100000 kraken 100.6 ['coinbase','kraken']",
                        "sell 50000 kraken 100.2 ['coinbase','kraken']",
                        "sell 100000 kraken 100.2 ['coinbase','kraken']");
        assertThat(mids()).containsExactlyElementsOf(complete);
        assertThat(best()).containsExactlyElementsOf(completeBest);

        // the re-emission from a checkpoint: kraken's first two polls, nothing of coinbase's
        replay(
                "re-emitted",
                List.of(
                        kraken(MINUTE + 5_300, "99", "99.4"),
                        kraken(MINUTE + 25_300, "99", "99.4")));
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT count() FROM mid_price_1m WHERE toUnixTimestamp64Milli(window_start) = "
                                        + MINUTE
                                        + " AND exchange = 'kraken' AND samples = 2"))
                .as("the partial row was written")
                .containsExactly(List.of("1"));
        assertThat(mids())
                .as("through the view, the complete minute stays")
                .containsExactlyElementsOf(complete);
        assertThat(best()).containsExactlyElementsOf(completeBest);
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT toString(avg_price), samples FROM execution_quotes_1m FINAL"
                                        + " WHERE exchange = 'kraken' AND side = 'buy' AND notional = 50000"))
                .containsExactly(List.of("100.6", "3"));

        // a backfill from as much data, with other results (fixed code): it replaces the minute
        replay("backfill", fullMinute("100.1", "100.3"));
        assertThat(mids())
                .containsExactly(
                        "all 100.3 2 ['coinbase','kraken'] 6 0",
                        "coinbase 100.2 3 ['coinbase'] 3 0",
                        "kraken 100.4 3 ['kraken'] 3 0");
        assertThat(best())
                .containsExactly(
                        "buy 50000 coinbase 100.3 ['coinbase','kraken']",
                        "buy 100000 coinbase 100.3 ['coinbase','kraken']",
                        "sell 50000 kraken 100.2 ['coinbase','kraken']",
                        "sell 100000 kraken 100.2 ['coinbase','kraken']");
    }
}
