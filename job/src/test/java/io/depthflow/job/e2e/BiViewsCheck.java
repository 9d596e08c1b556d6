package io.depthflow.job.e2e;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BI views against an {@link IndependentCalculation}, for the pipeline tests of the job module
 * and the CLI's replay tests (cli module).
 */
final class BiViewsCheck {

    private BiViewsCheck() {}

    /** The BI views hold exactly the expected rows, once each, to 1e-9 relative. */
    static void assertViewsMatch(IndependentCalculation expected) throws Exception {
        Map<String, BigDecimal> mids = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start), market, exchange, toString(mid), count() OVER (PARTITION BY window_start, market, exchange)"
                                + " FROM bi_mid_price_1m")) {
            assertThat(r.get(4)).as("rows per window/market/exchange").isEqualTo("1");
            mids.put(r.get(0) + "|" + r.get(1) + "|" + r.get(2), new BigDecimal(r.get(3)));
        }
        assertThat(mids.keySet()).isEqualTo(expected.mids.keySet());
        expected.mids.forEach((k, v) -> assertRelativelyClose(k, mids.get(k), v));

        Map<String, String> venues = new TreeMap<>();
        Map<String, BigDecimal> prices = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start), market, side, notional, exchange, toString(avg_price),"
                                + " count() OVER (PARTITION BY window_start, market, side, notional) FROM bi_best_execution_1m")) {
            assertThat(r.get(6)).as("rows per window/market/side/notional").isEqualTo("1");
            String k = r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3);
            venues.put(k, r.get(4));
            prices.put(k, new BigDecimal(r.get(5)));
        }
        assertThat(venues).isEqualTo(expected.bestVenue);
        expected.bestPrice.forEach((k, v) -> assertRelativelyClose(k, prices.get(k), v));
    }

    private static void assertRelativelyClose(String key, BigDecimal actual, BigDecimal expected) {
        BigDecimal rel =
                actual.subtract(expected).abs().divide(expected.abs(), MathContext.DECIMAL64);
        assertThat(rel)
                .as("%s: %s vs expected %s", key, actual, expected)
                .isLessThanOrEqualTo(new BigDecimal("1e-9"));
    }
}
