package io.depthflow.job.cli;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

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
        printer =
                new MinuteTablePrinter(
                        ClickHouseTestServer.jdbcUrl(),
                        new Properties(),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void error(String exchange, String market, String at) throws Exception {
        ClickHouseTestServer.execute(
                "INSERT INTO ingest_errors (exchange, market, received_at, error_type, error, payload, version)"
                        + " VALUES ('"
                        + exchange
                        + "', '"
                        + market
                        + "', '"
                        + at
                        + "', 'disconnected', 'connection lost', '{}', 1)");
    }

    private static void mid(String minute, String exchange, String mid) throws Exception {
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                        + " spread_bps, book_status, good_ms, version) VALUES ('"
                        + minute
                        + "', 'BTC/USD', '"
                        + exchange
                        + "', "
                        + mid
                        + ", 10, "
                        + mid
                        + ", "
                        + mid
                        + ", 0, 'ok', 60000, 1)");
    }

    private static void best(String minute, String side, String exchange, String price)
            throws Exception {
        ClickHouseTestServer.execute(
                "INSERT INTO best_execution_1m (window_start, market, side, notional, exchange, avg_price,"
                        + " candidates, version) VALUES ('"
                        + minute
                        + "', 'BTC/USD', '"
                        + side
                        + "', 50000, '"
                        + exchange
                        + "', "
                        + price
                        + ", 2, 1)");
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
        assertThat(printed())
                .as("printed only after the cross-exchange row was seen twice")
                .isEmpty();
        printer.poll(false);
        assertThat(printed().lines())
                .containsExactly(
                        MinuteTablePrinter.LEGEND,
                        "minute (UTC)      market        venue         mid (avg)     bid (end)     ask (end)        $50k buy (end)       $50k sell (end)   routed $50k all-in buy / sell (saves bps)  errors  completeness",
                        "2026-12-01 10:00  (connection)  kraken                -             -             -                     -                     -                                                   1  -",
                        "2026-12-01 10:00  BTC/USD       coinbase     90000.2600    90000.2600    90000.2600                     -                     -                                                   0  complete",
                        "2026-12-01 10:00  BTC/USD       kraken       89998.3300    89998.3300    89998.3300                     -                     -                                                   0  complete",
                        "2026-12-01 10:00  BTC/USD       all          89999.2900             -             -   coinbase 90012.2707     kraken 89989.3126                                           -          complete");

        printer.poll(true);
        assertThat(printed().lines())
                .hasSize(7)
                .last()
                .asString()
                .isEqualTo(
                        "2026-12-01 10:01  (connection)  coinbase              -             -             -                     -                     -                                                   1  -");
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
        assertThat(printed().lines().skip(2))
                .containsExactly(
                        "2026-12-01 10:00  BTC/USD       all          89999.2900             -             -   coinbase 90012.2707     kraken 89989.3126                                           -          complete");

        mid("2026-12-01 10:00:00", "coinbase", "90000.26");
        mid("2026-12-01 10:00:00", "kraken", "89998.33");
        printer.poll(false);
        printer.poll(false); // unchanged since: printed again once only
        assertThat(printed().lines().skip(3))
                .containsExactly(
                        "2026-12-01 10:00  BTC/USD       coinbase     90000.2600    90000.2600    90000.2600                     -                     -                                                   0  complete  (updated)",
                        "2026-12-01 10:00  BTC/USD       kraken       89998.3300    89998.3300    89998.3300                     -                     -                                                   0  complete  (updated)",
                        "2026-12-01 10:00  BTC/USD       all          89999.2900             -             -   coinbase 90012.2707     kraken 89989.3126                                           -          complete  (updated)");

        error("kraken", "BTC/USD", "2026-12-01 10:00:30.000");
        error("bitstamp", "BTC/USD", "2026-12-01 10:00:40.000");
        printer.poll(false);
        assertThat(printed().lines())
                .as("an error count alone, or a venue with errors only")
                .hasSize(6);
    }

    private static void routed(
            String minute, String side, String price, String bestSingle, double savings)
            throws Exception {
        ClickHouseTestServer.execute(
                "INSERT INTO routed_execution_1m (window_start, market, side, notional, complete, all_in_price,"
                        + " base_qty, cash, leg_exchanges, leg_cash, leg_base_qty, leg_levels, best_single_exchange, best_single_all_in_price,"
                        + " savings_bps, mid, version) VALUES ('"
                        + minute
                        + "', 'BTC/USD', '"
                        + side
                        + "', 50000, true, "
                        + price
                        + ", 0.5, 50000, ['coinbase', 'kraken'], [20000, 30000], [0.2, 0.3], [1, 2], '"
                        + bestSingle
                        + "', "
                        + price
                        + ", "
                        + savings
                        + ", 90000, 1)");
    }

    /** The routed $50k split and what it saves against the best single venue, buy and sell. */
    @Test
    void shouldPrintTheRoutedFiftyKPriceAndItsSavings() throws Exception {
        mid("2026-12-01 10:00:00", "coinbase", "90000.26");
        mid("2026-12-01 10:00:00", "all", "90000.26");
        routed("2026-12-01 10:00:00", "buy", "90051.2349", "coinbase", 0.84);
        routed(
                "2026-12-01 10:00:00",
                "sell",
                "89949.1",
                "",
                0); // no venue filled it alone: no savings
        printer.poll(true);
        int routedEnd = MinuteTablePrinter.HEADER.indexOf("errors") - 2;
        assertThat(printed().lines().skip(2))
                .extracting(
                        l ->
                                l.substring(32, 41).trim()
                                        + " |"
                                        + l.substring(routedEnd - 42, routedEnd))
                .containsExactly(
                        "coinbase |" + " ".repeat(42),
                        "all |" + String.format("%42s", "90051.23 +0.8 / 89949.10"));
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
        MinuteTablePrinter thisRun =
                new MinuteTablePrinter(
                        ClickHouseTestServer.jdbcUrl(),
                        new Properties(),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8),
                        java.time.Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
        thisRun.poll(true);
        assertThat(printed().lines().skip(2))
                .containsExactly(
                        "2026-12-01 10:00  BTC/USD       coinbase     90000.2600    90000.2600    90000.2600                     -                     -                                                   0  complete",
                        "2026-12-01 10:00  BTC/USD       kraken                -             -             -                     -                     -                                                   1  -",
                        "2026-12-01 10:00  BTC/USD       all          90000.2600             -             -                     -                     -                                           -          complete");
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
                ClickHouseTestServer.execute(
                        "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                                + " spread_bps, book_status, good_ms, version) VALUES ('"
                                + minute
                                + "', 'BTC/USD', '"
                                + exchange
                                + "', 90001.5, 10, 90001.5, 90001.5, 0, 'ok', 60000, "
                                + (runStart + 5)
                                + ")");
            }
        }
        ClickHouseTestServer.execute(
                "INSERT INTO ingest_errors (exchange, market, received_at, error_type, error, payload, version)"
                        + " VALUES ('kraken', 'BTC/USD', '2026-12-01 10:01:10', 'malformed', 'bad line', '{}', "
                        + (runStart + 9)
                        + ")");
        // ... and 09:58 from part of the minute: its row loses to the earlier, more complete one
        // (rank above the write time), the minute is printed with what the views hold
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                        + " spread_bps, book_status, good_ms, version) VALUES ('2026-12-01 09:57:00', 'BTC/USD', 'coinbase', 1, 1, 1, 1, 0,"
                        + " 'ok', 1000, "
                        + (runStart + 7)
                        + ")");
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                        + " spread_bps, book_status, good_ms, version) VALUES ('2026-12-01 09:57:00', 'BTC/USD', 'coinbase', 90002, 10, 90002,"
                        + " 90002, 0, 'ok', 60000, "
                        + ((5L << 42) | 1)
                        + ")");
        MinuteTablePrinter replay =
                new MinuteTablePrinter(
                        ClickHouseTestServer.jdbcUrl(),
                        new Properties(),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8),
                        Long.MIN_VALUE,
                        runStart);
        replay.poll(true);
        assertThat(printed().lines().skip(2).map(l -> l.substring(0, 16)).distinct())
                .containsExactly(
                        "2026-12-01 09:57",
                        "2026-12-01 09:59",
                        "2026-12-01 10:00",
                        "2026-12-01 10:01");
        assertThat(printed().lines().skip(2).findFirst().orElseThrow())
                .startsWith("2026-12-01 09:57  BTC/USD       coinbase     90002.0000");
        assertThat(printed().lines().skip(3).findFirst().orElseThrow()).contains("90001.5000");
    }

    private static void quote(
            String minute, String exchange, String side, boolean complete, String avg)
            throws Exception {
        ClickHouseTestServer.execute(
                "INSERT INTO execution_quotes_1m (window_start, exchange, market, side, notional, complete,"
                        + " avg_price, worst_price, base_qty, filled_notional, levels, slippage_bps, book_time, version) VALUES ('"
                        + minute
                        + "', '"
                        + exchange
                        + "', 'BTC/USD', '"
                        + side
                        + "', 50000, "
                        + complete
                        + ", "
                        + avg
                        + ", "
                        + avg
                        + ", 0.5, 50000, 3, 1.5, '"
                        + minute
                        + "', 1)");
    }

    /**
     * Five venues (the ones after Coinbase and Kraken are coming): one line each, the venues taken
     * from the data, in name order, each with its own $50k prices at the minute's end (a book
     * thinner than $50k says so), the best venue on the all line; every line as wide as the header,
     * whatever the venue.
     */
    @Test
    void shouldStayReadableWithFiveVenuesTakenFromTheData() throws Exception {
        String minute = "2026-12-01 10:00:00";
        String[][] venues = {
            {"coinbase", "90000.26", "90010.1", "89990.2"},
            {"kraken", "89998.33", "90011.5", "89985.0"},
            {"bitstamp", "90001.00", "90009.9", "89991.7"},
            {"gemini", "90003.10", "90020.0", "89980.0"},
            {"bitfinex", "89999.50", "90030.0", "89970.0"}
        };
        for (String[] v : venues) {
            mid(minute, v[0], v[1]);
            quote(minute, v[0], "buy", true, v[2]);
            quote(minute, v[0], "sell", !v[0].equals("gemini"), v[3]);
        }
        mid(minute, "all", "90000.438");
        best(minute, "buy", "bitstamp", "90009.9");
        best(minute, "sell", "bitstamp", "89991.7");
        printer.poll(true);
        List<String> lines = printed().lines().toList();
        assertThat(lines.subList(2, lines.size()))
                .containsExactly(
                        "2026-12-01 10:00  BTC/USD       bitfinex     89999.5000    89999.5000    89999.5000            90030.0000            89970.0000                                                   0  complete",
                        "2026-12-01 10:00  BTC/USD       bitstamp     90001.0000    90001.0000    90001.0000            90009.9000            89991.7000                                                   0  complete",
                        "2026-12-01 10:00  BTC/USD       coinbase     90000.2600    90000.2600    90000.2600            90010.1000            89990.2000                                                   0  complete",
                        "2026-12-01 10:00  BTC/USD       gemini       90003.1000    90003.1000    90003.1000            90020.0000             thin book                                                   0  complete",
                        "2026-12-01 10:00  BTC/USD       kraken       89998.3300    89998.3300    89998.3300            90011.5000            89985.0000                                                   0  complete",
                        "2026-12-01 10:00  BTC/USD       all          90000.4380             -             -   bitstamp 90009.9000   bitstamp 89991.7000                                           -          complete");
        int completeness = MinuteTablePrinter.HEADER.indexOf("completeness");
        assertThat(lines.subList(1, lines.size()))
                .allSatisfy(l -> assertThat(l.charAt(completeness - 1)).isEqualTo(' '));
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
        assertThat(printed().lines().skip(2))
                .containsExactly(
                        "2026-12-01 10:00  BTC/USD       kraken                -             -             -                     -                     -                                                   2  -");
    }

    private static void pollMid(
            String minute, String exchange, String mid, int samples, int expected, String status)
            throws Exception {
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                        + " spread_bps, book_status, good_ms, expected_samples, version) VALUES ('"
                        + minute
                        + "', 'BTC/USD', '"
                        + exchange
                        + "', "
                        + mid
                        + ", "
                        + samples
                        + ", "
                        + mid
                        + ", "
                        + mid
                        + ", 0, '"
                        + status
                        + "', 0, "
                        + expected
                        + ", 1)");
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
        ClickHouseTestServer.execute(
                "INSERT INTO ingest_errors (exchange, market, received_at, error_type, error, payload, version)"
                        + " VALUES ('kraken', 'BTC/USD', '2026-12-01 10:01:00', 'gap', 'no data: ...', '', 1)");
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                        + " spread_bps, book_status, good_ms, version) VALUES ('2026-12-01 10:02:00', 'BTC/USD', 'kraken', 90003, 420,"
                        + " 90003, 90003, 0, 'disconnected', 41270, 1)");
        pollMid("2026-12-01 10:02:00", "all", "90003", 1, 0, "ok");
        // 10:03: kraken's polls all fail; `all` is coinbase's alone
        pollMid("2026-12-01 10:03:00", "coinbase", "90004", 3, 3, "ok");
        pollMid("2026-12-01 10:03:00", "kraken", "0", 0, 3, "no_data");
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                        + " spread_bps, expected_samples, exchanges, exchange_samples, expected_exchanges, version) VALUES"
                        + " ('2026-12-01 10:03:00', 'BTC/USD', 'all', 90004, 1, 90004, 90004, 0, 3, ['coinbase'], 3, 2, 1)");
        printer.poll(true);
        // minute | venue | errors | completeness (the columns between are as in the other tests)
        int errorsEnd = MinuteTablePrinter.HEADER.indexOf("errors") + "errors".length();
        int completeness = MinuteTablePrinter.HEADER.indexOf("completeness");
        assertThat(printed().lines().skip(2))
                .extracting(
                        l ->
                                l.substring(0, 16)
                                        + " | "
                                        + l.substring(32, 41).trim()
                                        + " | "
                                        + l.substring(errorsEnd - 6, errorsEnd).trim()
                                        + " | "
                                        + l.substring(completeness))
                .containsExactly(
                        "2026-12-01 10:00 | coinbase | 0 | complete",
                        "2026-12-01 10:00 | kraken | 0 | 2/3 polls",
                        "2026-12-01 10:00 | all |  | complete",
                        "2026-12-01 10:01 | coinbase | 0 | no data (no_data)",
                        "2026-12-01 10:01 | kraken | 1 | no data (no_data)",
                        "2026-12-01 10:02 | kraken | 0 | 41.2 s usable (disconnected)",
                        "2026-12-01 10:02 | all |  | complete",
                        "2026-12-01 10:03 | coinbase | 0 | complete",
                        "2026-12-01 10:03 | kraken | 0 | no data (no_data)",
                        "2026-12-01 10:03 | all |  | over coinbase only (1 of 2 exchanges)");
    }
}
