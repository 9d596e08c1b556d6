package io.depthflow.job.e2e;

import io.depthflow.clickhouse.embedded.EmbeddedClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/depthflow demo} end to end, as a newcomer without internet runs it: the real CLI in
 * its own JVM starts the bundled simulator, the job and the embedded ClickHouse on a 6x clock for
 * 50 s of real time. Checked: the terminal says where everything is; the minute table holds real
 * mids of both venues for both markets, each one what the BI views hold; the BI views are filled
 * (mids and best execution for every printed minute). While it runs, the data directory has one
 * writer: a second {@code run} on it is refused with one line naming the demo's pid (exit 2), and
 * {@code sql --data-dir} on it still answers, through the demo's ClickHouse.
 */
class DemoITCase {

    @TempDir Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldPrintMinutesOfRealMidsForBothVenuesAndFillTheBiViews() throws Exception {
        Path data = dir.resolve("data-demo");
        CliProcess demo =
                CliProcess.start(
                        dir,
                        "demo",
                        List.of(
                                "demo",
                                "--data-dir",
                                data.toString(),
                                "--duration",
                                "50s",
                                "--web-port",
                                "0",
                                "--dashboard-port",
                                "0"));
        int demoExit;
        try {
            demo.awaitErr("running; Flink web UI", 120);

            // one writer per data directory: a second run is refused, naming the demo's process
            CliProcess second =
                    CliProcess.start(
                            dir,
                            "second",
                            List.of(
                                    "run",
                                    "--data-dir",
                                    data.toString(),
                                    "--web-port",
                                    "0",
                                    "--no-dashboard"));
            assertThat(second.awaitExit(60)).as(second.err()).isEqualTo(2);
            assertThat(second.err().strip())
                    .isEqualTo(
                            "depthflow run: the data directory "
                                    + data
                                    + " is in use by depthflow demo (pid "
                                    + demo.process().pid()
                                    + "); stop it first, or give another --data-dir"
                                    + " (bin/depthflow sql --data-dir "
                                    + data
                                    + " reads it while it runs)");

            // a reader still works, through the demo's embedded ClickHouse
            CliProcess sql =
                    CliProcess.start(
                            dir,
                            "sql",
                            List.of(
                                    "sql",
                                    "--data-dir",
                                    data.toString(),
                                    "--format",
                                    "TSV",
                                    "SELECT count() > 0 FROM system.tables WHERE name = 'bi_mid_price_1m'"));
            assertThat(sql.awaitExit(60)).as(sql.err()).isZero();
            assertThat(sql.out().strip()).isEqualTo("1");

            demoExit = demo.awaitExit(150);
        } finally {
            if (demo.process().isAlive()) {
                demo.stop();
            }
        }
        String err = demo.err();
        assertThat(demoExit).as(err).isZero();
        assertThat(err)
                .contains(
                        "depthflow demo: exchange simulator (seed 1) on 127.0.0.1: coinbase http://127.0.0.1:")
                .contains(
                        "the clock runs 6x (a minute closes every 10 s; stops after 50 s); data in "
                                + data.toAbsolutePath())
                .contains("; dashboard http://127.0.0.1:")
                .contains("depthflow: job finished")
                .doesNotContain("unreachable")
                .doesNotContain("Exception");

        // the printed table: minute|market|venue -> mid, of the minutes printed complete
        Map<String, BigDecimal> printed = MinuteTable.completeMids(demo.out());
        assertThat(printed.keySet().stream().map(k -> k.substring(k.indexOf('|') + 1)).distinct())
                .as("real mids of both venues and across venues, for both markets:\n%s", demo.out())
                .contains(
                        "BTC/USD|coinbase",
                        "BTC/USD|kraken",
                        "BTC/USD|all",
                        "ETH/USD|coinbase",
                        "ETH/USD|kraken",
                        "ETH/USD|all");
        printed.forEach((k, mid) -> assertThat(mid).as(k).isGreaterThan(BigDecimal.valueOf(1000)));

        // ... each exactly what the BI views hold; the views hold best execution for those minutes
        try (EmbeddedClickHouse ch = EmbeddedClickHouse.start(data);
                Connection c = DriverManager.getConnection(ch.jdbcUrl());
                Statement st = c.createStatement()) {
            Map<String, BigDecimal> views = new HashMap<>();
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT formatDateTime(window_start, '%Y-%m-%d %H:%i', 'UTC'), market, exchange,"
                                    + " toString(mid) FROM bi_mid_price_1m")) {
                while (rs.next()) {
                    views.put(
                            rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3),
                            new BigDecimal(rs.getString(4)).setScale(4, RoundingMode.HALF_EVEN));
                }
            }
            printed.forEach(
                    (k, mid) ->
                            assertThat(views.get(k))
                                    .as("bi_mid_price_1m %s", k)
                                    .isEqualByComparingTo(mid));
            for (String minute :
                    printed.keySet().stream()
                            .map(k -> k.substring(0, k.indexOf('|')))
                            .distinct()
                            .toList()) {
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT count(), countIf(exchange IN ('coinbase', 'kraken') AND avg_price > 0)"
                                        + " FROM bi_best_execution_1m WHERE formatDateTime(window_start, '%Y-%m-%d %H:%i', 'UTC') = '"
                                        + minute
                                        + "'")) {
                    rs.next();
                    // 2 markets x 2 sides x the default notionals, each won by a venue at a real
                    // price
                    long expected = 2L * 2 * IndependentCalculation.jobDefaultNotionals().length;
                    assertThat(rs.getLong(1))
                            .as("best execution rows of %s", minute)
                            .isEqualTo(expected);
                    assertThat(rs.getLong(2)).isEqualTo(expected);
                }
            }
        }
    }
}
