package io.depthflow.job.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The minute table's routed column: per market, the all-in price of a $50k market order split
 * across every venue ({@code bi_routed_execution_1m}), buy and sell, each with what the split saves
 * against the best single venue in bps ({@code buy 90012.27 +0.8}); {@code -} for a side without a
 * complete route, no savings without a best single venue. One query, one cell.
 */
final class RoutedCell {

    static final String HEADER = "routed $50k all-in buy / sell (saves bps)";

    static final int WIDTH = 42;

    private RoutedCell() {}

    /** The routed $50k rows of the minutes after {@code since} (a WHERE clause or ""). */
    static String sql(String since) {
        return "SELECT toUnixTimestamp64Milli(window_start), market, side, toString(all_in_price), savings_bps"
                + " FROM bi_routed_execution_1m"
                + (since.isEmpty() ? " WHERE" : since + " AND")
                + " notional = 50000 AND complete";
    }

    /** One side of a row of {@link #sql}: the price and its savings. */
    static String side(ResultSet rs) throws SQLException {
        String price =
                new BigDecimal(rs.getString(4)).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        double savings = rs.getDouble(5);
        return rs.wasNull() ? price : price + String.format(Locale.ROOT, " %+.1f", savings);
    }

    /** The cell: buy and sell sides as {@link #side} made them, {@code -} when a side has none. */
    static String cell(String buy, String sell) {
        return buy == null && sell == null
                ? "-"
                : (buy == null ? "-" : buy) + " / " + (sell == null ? "-" : sell);
    }
}
