package io.depthflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The per-minute table of {@code run}, read back from the BI views of the embedded ClickHouse as
 * rows land the way the job writes them: a minute is printed once, complete, in order.
 */
@ExtendWith(ClickHouseTestServer.class)
class MinuteTablePrinterITCase {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private MinuteTablePrinter printer;

    @BeforeEach
    void setUp() throws Exception {
        ClickHouseTestServer.resetSchema();
        printer = new MinuteTablePrinter(ClickHouseTestServer.jdbcUrl(), new Properties(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void error(String exchange, String market, String at) throws Exception {
        ClickHouseTestServer.execute("INSERT INTO ingest_errors (exchange, market, received_at, error_type, error, payload, version)"
                + " VALUES ('" + exchange + "', '" + market + "', '" + at + "', 'disconnected', 'connection lost', '{}', 1)");
    }

    private static void mid(String minute, String exchange, String mid) throws Exception {
        ClickHouseTestServer.execute("INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                + " spread_bps, book_status, good_ms, version) VALUES ('" + minute + "', 'BTC/USD', '" + exchange + "', " + mid
                + ", 10, " + mid + ", " + mid + ", 0, 'ok', 60000, 1)");
    }

    private static void best(String minute, String side, String exchange, String price) throws Exception {
        ClickHouseTestServer.execute("INSERT INTO best_execution_1m (window_start, market, side, notional, exchange, avg_price,"
                + " candidates, version) VALUES ('" + minute + "', 'BTC/USD', '" + side + "', 50000, '" + exchange + "', " + price + ", 2, 1)");
    }

    /**
     * Seen in a stream run: a disconnect at 10:00:45 and another at 10:01:00.8 land in
     * ingest_errors at once, while 10:00's window is still closing. The next minute's error rows
     * must not make 10:00 print before its mids land (it would then never print them).
     */
    @Test
    void shouldWaitForAMinutesMidsWhenOnlyTheNextMinutesErrorsHaveLanded() throws Exception {
        error("kraken", "", "2026-12-01 10:00:45.766");
        error("coinbase", "", "2026-12-01 10:01:00.811");
        printer.poll(false);
        printer.poll(false);
        printer.poll(false);
        assertThat(printed()).isEmpty();

        mid("2026-12-01 10:00:00", "coinbase", "90000.26");
        mid("2026-12-01 10:00:00", "kraken", "89998.33");
        mid("2026-12-01 10:00:00", "all", "89999.29");
        best("2026-12-01 10:00:00", "buy", "coinbase", "90012.2707");
        best("2026-12-01 10:00:00", "sell", "kraken", "89989.3126");
        printer.poll(false);
        assertThat(printed()).as("printed only after the cross-exchange row was seen twice").isEmpty();
        printer.poll(false);
        assertThat(printed().lines()).containsExactly(
                "window (UTC)      market       coinbase mid       kraken mid          all mid   best $50k buy              best $50k sell             errors  completeness",
                "2026-12-01 10:00                          -                -                -   -                          -                               1  -",
                "2026-12-01 10:00  BTC/USD        90000.2600       89998.3300       89999.2900   coinbase @ 90012.2707      kraken @ 89989.3126             0  complete");

        printer.poll(true);
        assertThat(printed().lines()).hasSize(4).last().asString()
                .isEqualTo("2026-12-01 10:01                          -                -                -   -                          -                               1  -");
    }

    /**
     * Seen after a 90 s ClickHouse outage: every sink wrote its backlog at its own pace, so the
     * cross-exchange rows of 06:52 landed before the exchanges' own, the minute printed with '-',
     * and it never printed again although ClickHouse then held it complete. A printed minute whose
     * rows change is printed again, marked; one whose error count alone grows is not.
     */
    @Test
    void shouldPrintAMinuteAgainWhenRowsThatLandAfterItChangeWhatItShows() throws Exception {
        mid("2026-12-01 10:00:00", "all", "89999.29");
        best("2026-12-01 10:00:00", "buy", "coinbase", "90012.2707");
        best("2026-12-01 10:00:00", "sell", "kraken", "89989.3126");
        printer.poll(false);
        printer.poll(false);
        assertThat(printed().lines()).last().asString().isEqualTo(
                "2026-12-01 10:00  BTC/USD                 -                -       89999.2900   coinbase @ 90012.2707      kraken @ 89989.3126             0  complete");

        mid("2026-12-01 10:00:00", "coinbase", "90000.26");
        mid("2026-12-01 10:00:00", "kraken", "89998.33");
        printer.poll(false);
        printer.poll(false); // unchanged since: printed again once only
        assertThat(printed().lines()).hasSize(3).last().asString().isEqualTo(
                "2026-12-01 10:00  BTC/USD        90000.2600       89998.3300       89999.2900   coinbase @ 90012.2707      kraken @ 89989.3126             0  complete  (updated)");

        error("kraken", "BTC/USD", "2026-12-01 10:00:30.000");
        printer.poll(false);
        assertThat(printed().lines()).as("an error count alone").hasSize(3);
    }

    /** A second run on the same database shows its own minutes, not the first run's. */
    @Test
    void shouldPrintOnlyTheMinutesOfThisRunWhenGivenItsFirstMinute() throws Exception {
        for (String minute : new String[] {"2026-12-01 09:58:00", "2026-12-01 10:00:00"}) {
            mid(minute, "coinbase", "90000.26");
            mid(minute, "all", "90000.26");
        }
        error("kraken", "BTC/USD", "2026-12-01 09:59:30");
        error("kraken", "BTC/USD", "2026-12-01 10:00:30");
        MinuteTablePrinter thisRun = new MinuteTablePrinter(ClickHouseTestServer.jdbcUrl(), new Properties(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), java.time.Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
        thisRun.poll(true);
        assertThat(printed().lines()).hasSize(2).last().asString()
                .isEqualTo("2026-12-01 10:00  BTC/USD        90000.2600                -       90000.2600   -                          -                               1  complete");
    }

    /**
     * A replay (or a raw-log rebuild) covers minutes of the past: it prints the minutes it wrote,
     * told by the write time in each row's version, not every minute earlier runs left in the
     * database (once: 45 old minutes printed for an empty capture).
     */
    @Test
    void shouldPrintOnlyTheMinutesThisRunWroteWhateverTheirTime() throws Exception {
        // an earlier run: 09:58 and 09:59 (version 1: written long ago)
        for (String minute : new String[] {"2026-12-01 09:58:00", "2026-12-01 09:59:00"}) {
            mid(minute, "coinbase", "90000.26");
            mid(minute, "all", "90000.26");
        }
        error("kraken", "BTC/USD", "2026-12-01 09:58:30");
        long runStart = 1_800_000_000_000L;
        // this run replays 09:59 (again, newer) and 10:00, and hits an error in 10:01
        for (String minute : new String[] {"2026-12-01 09:59:00", "2026-12-01 10:00:00"}) {
            for (String exchange : new String[] {"coinbase", "all"}) {
                ClickHouseTestServer.execute("INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                        + " spread_bps, book_status, good_ms, version) VALUES ('" + minute + "', 'BTC/USD', '" + exchange
                        + "', 90001.5, 10, 90001.5, 90001.5, 0, 'ok', 60000, " + (runStart + 5) + ")");
            }
        }
        ClickHouseTestServer.execute("INSERT INTO ingest_errors (exchange, market, received_at, error_type, error, payload, version)"
                + " VALUES ('kraken', 'BTC/USD', '2026-12-01 10:01:10', 'malformed', 'bad line', '{}', " + (runStart + 9) + ")");
        MinuteTablePrinter replay = new MinuteTablePrinter(ClickHouseTestServer.jdbcUrl(), new Properties(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), Long.MIN_VALUE, runStart);
        replay.poll(true);
        assertThat(printed().lines().skip(1).map(l -> l.substring(0, 16)))
                .containsExactly("2026-12-01 09:59", "2026-12-01 10:00", "2026-12-01 10:01");
        assertThat(printed().lines().skip(1).findFirst().orElseThrow()).contains("90001.5000");
    }

    /** No book anywhere (no network): error-only minutes print, two minutes behind the newest. */
    @Test
    void shouldPrintMinutesOfErrorsOnlyOnceTwoLaterMinutesHaveRows() throws Exception {
        error("kraken", "BTC/USD", "2026-12-01 10:00:10");
        error("kraken", "BTC/USD", "2026-12-01 10:00:20");
        error("kraken", "BTC/USD", "2026-12-01 10:01:10");
        printer.poll(false);
        printer.poll(false);
        assertThat(printed()).isEmpty();

        error("kraken", "BTC/USD", "2026-12-01 10:02:10");
        printer.poll(false);
        printer.poll(false);
        assertThat(printed().lines()).hasSize(2).last().asString()
                .isEqualTo("2026-12-01 10:00  BTC/USD                 -                -                -   -                          -                               2  -");
    }

    private static void pollMid(String minute, String exchange, String mid, int samples, int expected, String status) throws Exception {
        ClickHouseTestServer.execute("INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                + " spread_bps, book_status, good_ms, expected_samples, version) VALUES ('" + minute + "', 'BTC/USD', '" + exchange
                + "', " + mid + ", " + samples + ", " + mid + ", " + mid + ", 0, '" + status + "', 0, " + expected + ", 1)");
    }

    /**
     * A TaskManager lost: the minute open at the checkpoint came back with 2 of 3 polls, the
     * minutes it was down have no-data rows and a gap error; a stream book was disconnected.
     */
    @Test
    void shouldShowPartialMinutesAndGaps() throws Exception {
        pollMid("2026-12-01 10:00:00", "coinbase", "90000", 3, 3, "ok");
        pollMid("2026-12-01 10:00:00", "kraken", "90002", 2, 3, "ok");
        pollMid("2026-12-01 10:00:00", "all", "90001", 2, 5, "ok");
        pollMid("2026-12-01 10:01:00", "coinbase", "0", 0, 3, "no_data");
        pollMid("2026-12-01 10:01:00", "kraken", "0", 0, 3, "no_data");
        ClickHouseTestServer.execute("INSERT INTO ingest_errors (exchange, market, received_at, error_type, error, payload, version)"
                + " VALUES ('kraken', 'BTC/USD', '2026-12-01 10:01:00', 'gap', 'no data: ...', '', 1)");
        ClickHouseTestServer.execute("INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                + " spread_bps, book_status, good_ms, version) VALUES ('2026-12-01 10:02:00', 'BTC/USD', 'kraken', 90003, 420,"
                + " 90003, 90003, 0, 'disconnected', 41270, 1)");
        pollMid("2026-12-01 10:02:00", "all", "90003", 1, 0, "ok");
        // 10:03: kraken's polls all fail; `all` is coinbase's alone
        pollMid("2026-12-01 10:03:00", "coinbase", "90004", 3, 3, "ok");
        pollMid("2026-12-01 10:03:00", "kraken", "0", 0, 3, "no_data");
        ClickHouseTestServer.execute("INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                + " spread_bps, expected_samples, exchanges, exchange_samples, expected_exchanges, version) VALUES"
                + " ('2026-12-01 10:03:00', 'BTC/USD', 'all', 90004, 1, 90004, 90004, 0, 3, ['coinbase'], 3, 2, 1)");
        printer.poll(true);
        // minute | errors | completeness (the columns before are as in the other tests)
        assertThat(printed().lines()).extracting(l -> l.substring(0, 16) + " | " + l.substring(134, 140).trim() + " | " + l.substring(142))
                .containsExactly(
                        "window (UTC)     | errors | completeness",
                        "2026-12-01 10:00 | 0 | kraken 2/3 polls",
                        "2026-12-01 10:01 | 1 | coinbase no data (no_data), kraken no data (no_data)",
                        "2026-12-01 10:02 | 0 | kraken 41.2 s usable (disconnected)",
                        "2026-12-01 10:03 | 0 | kraken no data (no_data), all over coinbase only (1 of 2 exchanges)");
    }
}
