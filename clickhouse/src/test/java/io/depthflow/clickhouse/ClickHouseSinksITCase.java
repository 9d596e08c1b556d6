package io.depthflow.clickhouse;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.testing.MiniClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sink in a real Flink job (MiniCluster, parallelism 2) into the test ClickHouse, read back
 * as exact text. The JVM's default time zone is Asia/Kolkata (UTC+05:30) meanwhile: timestamps must
 * not depend on it.
 */
@ExtendWith(ClickHouseTestServer.class)
class ClickHouseSinksITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.loopbackTwoSlots();

    /** Ten minutes ago: raw_order_books drops rows older than its TTL (30 days) on insert. */
    private static final long MINUTE =
            Instant.now()
                    .truncatedTo(ChronoUnit.MINUTES)
                    .minus(10, ChronoUnit.MINUTES)
                    .toEpochMilli();

    private static final long RECEIVED = MINUTE + 1_337;
    private static final BigDecimal WIDEST =
            new BigDecimal("12345678901234567890.123456789012345678");
    private static final BigDecimal SMALLEST = new BigDecimal("0.000000000000000001");

    private static final String PAYLOAD =
            "{\"bids\":[[\"6247.58\",\"0.00000001\",1]],\"note\":\"it's \\\\ a\ttab and €\"}";

    private static final List<RawMessage> RAW =
            List.of(
                    RawMessage.restResponse("coinbase", "BTC/USD", RECEIVED, 200, PAYLOAD),
                    RawMessage.restResponse(
                            "kraken", "BTC/USD", RECEIVED + 1, 503, "Service Unavailable"));

    private static final List<IngestError> ERRORS =
            List.of(
                    new IngestError(
                            "kraken",
                            "ETH/USD",
                            RECEIVED,
                            IngestError.EXCHANGE,
                            "EGeneral:Too many requests",
                            "{\"error\":[\"EGeneral:Too many requests\"]}"),
                    new IngestError(
                            "coinbase",
                            "BTC/USD",
                            RECEIVED,
                            IngestError.TRANSPORT,
                            "connect timed out",
                            null));

    // 6247.58 x 0.00000001 + 6247.57 x 16 = 99961.1200624758 (exact)
    private static final List<BookSlice> SLICES =
            List.of(
                    new BookSlice(
                            "coinbase",
                            "BTC/USD",
                            RECEIVED,
                            "bid",
                            2,
                            8,
                            new long[] {624758, 624757},
                            new long[] {1, 1_600_000_000L},
                            new BigDecimal("99961.1200624758"),
                            new BigDecimal("6247.570000624752000001"),
                            false),
                    new BookSlice(
                            "coinbase",
                            "BTC/USD",
                            RECEIVED,
                            "ask",
                            18,
                            0,
                            new long[] {1},
                            new long[] {Long.MAX_VALUE},
                            WIDEST,
                            SMALLEST,
                            true));

    private static final List<MidPrice> MIDS =
            List.of(
                    new MidPrice(
                            MINUTE,
                            "BTC/USD",
                            "coinbase",
                            new BigDecimal("65000.125000000000000001"),
                            12,
                            new BigDecimal("65000.12"),
                            new BigDecimal("65000.13"),
                            0.0015384615384615385),
                    new MidPrice(
                            MINUTE,
                            "BTC/USD",
                            MidPrice.ALL_EXCHANGES,
                            WIDEST,
                            2,
                            SMALLEST,
                            WIDEST,
                            -1.25));

    private static final List<ExecutionQuote> QUOTES =
            List.of(
                    new ExecutionQuote(
                            MINUTE,
                            "kraken",
                            "BTC/USD",
                            "buy",
                            50_000,
                            true,
                            new BigDecimal("65000.500000000000000001"),
                            new BigDecimal("65001.0"),
                            new BigDecimal("0.769224852116521411"),
                            new BigDecimal("50000"),
                            3,
                            0.75,
                            MINUTE + 59_999),
                    new ExecutionQuote(
                            MINUTE,
                            "kraken",
                            "BTC/USD",
                            "sell",
                            100_000,
                            false,
                            SMALLEST,
                            WIDEST,
                            SMALLEST,
                            new BigDecimal("99961.1200624758"),
                            40,
                            12.5,
                            MINUTE + 1));

    private static final List<BestExecution> BEST =
            List.of(
                    new BestExecution(
                            MINUTE,
                            "BTC/USD",
                            "buy",
                            50_000,
                            "kraken",
                            new BigDecimal("65000.500000000000000001"),
                            2),
                    new BestExecution(MINUTE, "BTC/USD", "sell", 100_000, "coinbase", WIDEST, 1));

    private static TimeZone originalZone;

    @BeforeAll
    static void useANonUtcDefaultTimeZone() {
        originalZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
    }

    @AfterAll
    static void restoreTheDefaultTimeZone() {
        TimeZone.setDefault(originalZone);
    }

    @BeforeEach
    void emptyTables() throws Exception {
        ClickHouseTestServer.resetSchema();
    }

    @Test
    void shouldWriteEveryTableExactly() throws Exception {
        runJob(MIDS);

        assertThat(
                        rows(
                                "SELECT exchange, market, kind,"
                                        + " toUnixTimestamp64Milli(received_at), http_status, payload"
                                        + " FROM raw_order_books FINAL ORDER BY exchange"))
                .containsExactly(
                        List.of("coinbase", "BTC/USD", "rest_book", ms(RECEIVED), "200", PAYLOAD),
                        List.of(
                                "kraken",
                                "BTC/USD",
                                "rest_book",
                                ms(RECEIVED + 1),
                                "503",
                                "Service Unavailable"));
        assertThat(
                        rows(
                                "SELECT exchange, market, toUnixTimestamp64Milli(received_at),"
                                        + " error_type, error, payload FROM ingest_errors FINAL ORDER"
                                        + " BY exchange"))
                .containsExactly(
                        List.of(
                                "coinbase",
                                "BTC/USD",
                                ms(RECEIVED),
                                "transport",
                                "connect timed out",
                                ""),
                        List.of(
                                "kraken",
                                "ETH/USD",
                                ms(RECEIVED),
                                "exchange_error",
                                "EGeneral:Too many requests",
                                "{\"error\":[\"EGeneral:Too many requests\"]}"));
        assertThat(
                        rows(
                                "SELECT side, toUnixTimestamp64Milli(received_at),"
                                        + " toString(prices), toString(quantities), levels,"
                                        + " toString(cumulative_notional), toString(vwap_100k),"
                                        + " complete FROM order_book_slices FINAL ORDER BY side"))
                .containsExactly(
                        List.of(
                                "ask",
                                ms(RECEIVED),
                                "[0.000000000000000001]",
                                "[9223372036854775807]",
                                "1",
                                WIDEST.toPlainString(),
                                SMALLEST.toPlainString(),
                                "true"),
                        List.of(
                                "bid",
                                ms(RECEIVED),
                                "[6247.58,6247.57]",
                                "[0.00000001,16]",
                                "2",
                                "99961.1200624758",
                                "6247.570000624752000001",
                                "false"));
        assertThat(
                        rows(
                                "SELECT toUnixTimestamp64Milli(window_start), market, exchange,"
                                        + " toString(mid), samples, toString(best_bid),"
                                        + " toString(best_ask), spread_bps FROM mid_price_1m FINAL"
                                        + " ORDER BY exchange"))
                .containsExactly(
                        List.of(
                                ms(MINUTE),
                                "BTC/USD",
                                "all",
                                WIDEST.toPlainString(),
                                "2",
                                SMALLEST.toPlainString(),
                                WIDEST.toPlainString(),
                                "-1.25"),
                        List.of(
                                ms(MINUTE),
                                "BTC/USD",
                                "coinbase",
                                "65000.125000000000000001",
                                "12",
                                "65000.12",
                                "65000.13",
                                "0.0015384615384615385"));
        assertThat(
                        rows(
                                "SELECT exchange, side, notional, complete, toString(avg_price),"
                                        + " toString(worst_price), toString(base_qty),"
                                        + " toString(filled_notional), levels, slippage_bps,"
                                        + " toUnixTimestamp64Milli(book_time) FROM execution_quotes_1m"
                                        + " FINAL ORDER BY side"))
                .containsExactly(
                        List.of(
                                "kraken",
                                "buy",
                                "50000",
                                "true",
                                "65000.500000000000000001",
                                "65001",
                                "0.769224852116521411",
                                "50000",
                                "3",
                                "0.75",
                                ms(MINUTE + 59_999)),
                        List.of(
                                "kraken",
                                "sell",
                                "100000",
                                "false",
                                SMALLEST.toPlainString(),
                                WIDEST.toPlainString(),
                                SMALLEST.toPlainString(),
                                "99961.1200624758",
                                "40",
                                "12.5",
                                ms(MINUTE + 1)));
        assertThat(
                        rows(
                                "SELECT toUnixTimestamp64Milli(window_start), market, side,"
                                        + " notional, exchange, toString(avg_price) FROM"
                                        + " bi_best_execution_1m ORDER BY side"))
                .containsExactly(
                        List.of(
                                ms(MINUTE),
                                "BTC/USD",
                                "buy",
                                "50000",
                                "kraken",
                                "65000.500000000000000001"),
                        List.of(
                                ms(MINUTE),
                                "BTC/USD",
                                "sell",
                                "100000",
                                "coinbase",
                                WIDEST.toPlainString()));
        assertThat(rows("SELECT candidates FROM best_execution_1m FINAL ORDER BY side"))
                .containsExactly(List.of("2"), List.of("1"));
    }

    @Test
    void shouldShowRowsWrittenTwiceOnceThroughFinalWithTheLatestValues() throws Exception {
        runJob(MIDS);
        runJob(MIDS);

        for (String table :
                List.of(
                        "raw_order_books",
                        "ingest_errors",
                        "order_book_slices",
                        "mid_price_1m",
                        "execution_quotes_1m",
                        "best_execution_1m")) {
            assertThat(rows("SELECT count() FROM " + table))
                    .as(table)
                    .containsExactly(List.of("4"));
            assertThat(rows("SELECT count() FROM " + table + " FINAL"))
                    .as(table + " FINAL")
                    .containsExactly(List.of("2"));
        }
        assertThat(rows("SELECT count() FROM bi_best_execution_1m")).containsExactly(List.of("2"));

        MidPrice corrected =
                new MidPrice(
                        MINUTE,
                        "BTC/USD",
                        "coinbase",
                        new BigDecimal("65000.5"),
                        13,
                        new BigDecimal("65000.4"),
                        new BigDecimal("65000.6"),
                        0.003);
        runJob(List.of(corrected));

        assertThat(rows("SELECT exchange, toString(mid) FROM bi_mid_price_1m ORDER BY exchange"))
                .containsExactly(
                        List.of("all", WIDEST.toPlainString()), List.of("coinbase", "65000.5"));
    }

    /** One bounded job writing the fixtures (and {@code mids}) through all six sinks. */
    private static void runJob(List<MidPrice> mids) throws Exception {
        ClickHouseSinkOptions options =
                ClickHouseSinkOptions.builder().jdbcUrl(ClickHouseTestServer.jdbcUrl()).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData(RAW).sinkTo(ClickHouseSinks.rawOrderBooks(options)).name("raw_order_books");
        env.fromData(ERRORS).sinkTo(ClickHouseSinks.ingestErrors(options)).name("ingest_errors");
        env.fromData(SLICES)
                .sinkTo(ClickHouseSinks.orderBookSlices(options))
                .name("order_book_slices");
        env.fromData(mids).sinkTo(ClickHouseSinks.midPrices(options)).name("mid_price_1m");
        env.fromData(QUOTES)
                .sinkTo(ClickHouseSinks.executionQuotes(options))
                .name("execution_quotes_1m");
        env.fromData(BEST)
                .sinkTo(ClickHouseSinks.bestExecutions(options))
                .name("best_execution_1m");
        env.execute("clickhouse-sinks-it");
    }

    private static String ms(long epochMillis) {
        return Long.toString(epochMillis);
    }

    private static List<List<String>> rows(String sql) throws Exception {
        return ClickHouseTestServer.query(sql);
    }
}
