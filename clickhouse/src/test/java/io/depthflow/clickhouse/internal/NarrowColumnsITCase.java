package io.depthflow.clickhouse.internal;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Numbers that do not fit their column are stored exactly (the column is wide enough) or rejected
 * before ClickHouse wraps them; two unusable lines are two ingest_errors rows. Real embedded
 * ClickHouse, the schema of the migrations, the sinks' own statements and binders.
 */
@ExtendWith(ClickHouseTestServer.class)
class NarrowColumnsITCase {

    private static final long AT = 1_795_175_103_203L; // 2026-11-20T11:45:03.203Z

    @BeforeEach
    void schema() throws Exception {
        ClickHouseTestServer.resetSchema();
    }

    @Test
    void shouldStoreAWalkAndASliceOver92122LevelsAsThatCount() throws Exception {
        // Issue 9: levels was UInt16, and 92,122 levels were stored as 26,586.
        int levels = 92_122;
        long[] prices = new long[levels];
        long[] sizes = new long[levels];
        Arrays.fill(sizes, 1L);
        for (int i = 0; i < levels; i++) {
            prices[i] = 9_000_000L + i;
        }
        BookSlice slice =
                new BookSlice(
                        "kraken",
                        "BTC/USD",
                        AT,
                        "ask",
                        2,
                        8,
                        prices,
                        sizes,
                        new BigDecimal("82880.02"),
                        new BigDecimal("90000.5"),
                        false);
        ExecutionQuote quote =
                new ExecutionQuote(
                        AT - 3_203L,
                        "kraken",
                        "BTC/USD",
                        "buy",
                        100_000L,
                        false,
                        new BigDecimal("90000.5"),
                        new BigDecimal("90921.21"),
                        new BigDecimal("0.92122"),
                        new BigDecimal("82880.02"),
                        levels,
                        12.5,
                        AT);
        try (Connection c = ClickHouseTestServer.connection()) {
            try (PreparedStatement ps = c.prepareStatement(RowBinders.ORDER_BOOK_SLICES)) {
                RowBinders.orderBookSlice(ps, slice);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(RowBinders.EXECUTION_QUOTES_1M)) {
                RowBinders.executionQuote(ps, quote);
                ps.executeUpdate();
            }
        }

        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT levels, length(prices), toTypeName(levels) FROM order_book_slices"))
                .containsExactly(List.of("92122", "92122", "UInt32"));
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT levels, toTypeName(levels) FROM execution_quotes_1m"))
                .containsExactly(List.of("92122", "UInt32"));
    }

    @Test
    void shouldRejectAnHttpStatusOrCandidatesCountOrNotionalTheColumnWouldWrap() throws Exception {
        try (Connection c = ClickHouseTestServer.connection();
                PreparedStatement ps = c.prepareStatement(RowBinders.RAW_ORDER_BOOKS)) {
            // 70000 would be stored as 4464 and -5 as 65531.
            for (int status : new int[] {70_000, -5}) {
                assertThatThrownBy(
                                () ->
                                        RowBinders.rawOrderBook(
                                                ps,
                                                RawMessage.restResponse(
                                                        "kraken", "BTC/USD", AT, status, "{}")))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage(
                                "raw_order_books.http_status = "
                                        + status
                                        + " does not fit its column (0..65535)");
            }
        }
        assertThat(RowBinders.unsigned("best_execution_1m.candidates", 255, 0xff)).isEqualTo(255);
        assertThatThrownBy(() -> RowBinders.unsigned("best_execution_1m.candidates", 256, 0xff))
                .hasMessage("best_execution_1m.candidates = 256 does not fit its column (0..255)");
        assertThatThrownBy(
                        () ->
                                RowBinders.unsigned(
                                        "execution_quotes_1m.notional",
                                        5_000_000_000L,
                                        0xffff_ffffL))
                .hasMessage(
                        "execution_quotes_1m.notional = 5000000000 does not fit its column (0..4294967295)");
    }

    @Test
    void shouldKeepTwoUnusableLinesAsTwoRowsAndTheSameLineWrittenTwiceAsOne() throws Exception {
        try (Connection c = ClickHouseTestServer.connection();
                PreparedStatement ps = c.prepareStatement(RowBinders.INGEST_ERRORS)) {
            for (String source :
                    new String[] {"capture.jsonl:17", "capture.jsonl:18", "capture.jsonl:17"}) {
                IngestError e =
                        new IngestError(
                                "",
                                "",
                                AT,
                                IngestError.MALFORMED,
                                source + ": not a capture record",
                                "{");
                e.source = source;
                RowBinders.ingestError(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }

        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT source, error FROM ingest_errors FINAL ORDER BY source"))
                .containsExactly(
                        List.of("capture.jsonl:17", "capture.jsonl:17: not a capture record"),
                        List.of("capture.jsonl:18", "capture.jsonl:18: not a capture record"));
    }
}
