package io.depthflow.job.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The {@code quote} contract's liquidity fields: fee, all-in quotes, depth bands, the ladder. */
class QuoteCommandTest {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir Path dir;

    private Path kraken() throws Exception {
        Path p = dir.resolve("kraken.json");
        // asks 30384.1 x 2.059, 30387.9 x 1.5, 30393.7 x 9.871 ; bids 30297 x 1.115, 30296.7 x
        // 2.002, 30289.8 x 5.001
        Files.writeString(
                p, Fixtures.docsExample("kraken-rest-depth.json"), StandardCharsets.UTF_8);
        return p;
    }

    private static BigDecimal stored(BigDecimal v) {
        return v.setScale(18, RoundingMode.HALF_EVEN);
    }

    @Test
    void shouldAddTheFeeTheAllInQuotesAndTheDepthBands() throws Exception {
        CliRun r =
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        kraken().toString(),
                        "--notional",
                        "50000",
                        "--taker-fee-bps",
                        "40",
                        "--bands",
                        "10,50");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("taker_fee_bps").isNumber()).isTrue();
        assertThat(j.get("taker_fee_bps").decimalValue()).isEqualByComparingTo("40");

        // mid 30340.55: 10 bps is [30310.20945, 30370.89055], holding no level on either side.
        JsonNode ten = j.get("depth").get(0);
        assertThat(ten.get("band_bps").asInt()).isEqualTo(10);
        assertThat(ten.get("bid_qty").decimalValue()).isEqualByComparingTo("0");
        assertThat(ten.get("ask_notional").decimalValue()).isEqualByComparingTo("0");
        assertThat(ten.get("imbalance").isNull()).isTrue();
        // 50 bps is [30188.84725, 30492.25275]: every level.
        JsonNode fifty = j.get("depth").get(1);
        assertThat(fifty.get("bid_qty").decimalValue()).isEqualByComparingTo("8.118");
        assertThat(fifty.get("bid_notional").decimalValue()).isEqualByComparingTo("245914.4382");
        assertThat(fifty.get("ask_qty").decimalValue()).isEqualByComparingTo("13.43");
        assertThat(fifty.get("ask_notional").decimalValue()).isEqualByComparingTo("408158.9246");
        assertThat(fifty.get("imbalance").decimalValue())
                .isEqualByComparingTo(
                        stored(
                                new BigDecimal("-162244.4864")
                                        .divide(
                                                new BigDecimal("654073.3628"),
                                                MathContext.DECIMAL128)));
        assertThat(j.get("depth")).hasSize(2);

        // buy $50k at 40 bps: effective ask 30384.1 x 1.004 = 30505.6364, whose level holds
        // 62,810.8... >= 50,000: the all-in price is the effective price itself.
        JsonNode buy = j.get("quotes").get(0);
        assertThat(buy.get("side").asText()).isEqualTo("buy");
        assertThat(buy.get("avg_price").decimalValue()).isEqualByComparingTo("30384.1");
        assertThat(buy.get("all_in_price").decimalValue()).isEqualByComparingTo("30505.6364");
        assertThat(buy.get("all_in_complete").asBoolean()).isTrue();
        assertThat(buy.get("all_in_base_qty").decimalValue())
                .isEqualByComparingTo(
                        stored(
                                new BigDecimal("50000")
                                        .divide(
                                                new BigDecimal("30505.6364"),
                                                MathContext.DECIMAL128)));
        // sell $50k at 40 bps: effective bids 30175.812 x 1.115 = 33,646.03 then 30175.5133... :
        JsonNode sell = j.get("quotes").get(1);
        BigDecimal e1 = new BigDecimal("30297").multiply(new BigDecimal("0.996"));
        BigDecimal e2 = new BigDecimal("30296.7").multiply(new BigDecimal("0.996"));
        BigDecimal cash1 = e1.multiply(new BigDecimal("1.115"));
        BigDecimal base =
                new BigDecimal("1.115")
                        .add(
                                new BigDecimal("50000")
                                        .subtract(cash1)
                                        .divide(e2, MathContext.DECIMAL128));
        assertThat(sell.get("all_in_base_qty").decimalValue()).isEqualByComparingTo(stored(base));
        assertThat(sell.get("all_in_price").decimalValue())
                .isEqualByComparingTo(
                        stored(new BigDecimal("50000").divide(base, MathContext.DECIMAL128)));
        assertThat(sell.get("all_in_price").decimalValue())
                .isLessThan(sell.get("avg_price").decimalValue());
    }

    @Test
    void shouldEqualTheFeeFreeQuoteAtFeeZeroAndReportAnIncompleteOneOverWhatExists()
            throws Exception {
        CliRun r =
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        kraken().toString(),
                        "--notional",
                        "1000,100000,1000000",
                        "--taker-fee-bps",
                        "0");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("quotes")).hasSize(6);
        for (JsonNode q : j.get("quotes")) {
            assertThat(q.get("all_in_price").decimalValue())
                    .isEqualByComparingTo(q.get("avg_price").decimalValue());
            assertThat(q.get("all_in_base_qty").decimalValue())
                    .isEqualByComparingTo(q.get("base_qty").decimalValue());
            assertThat(q.get("all_in_complete").asBoolean())
                    .isEqualTo(q.get("complete").asBoolean());
        }
        // $1M is more than either side holds.
        assertThat(j.get("quotes").get(2).get("all_in_complete").asBoolean()).isFalse();
        assertThat(j.get("quotes").get(2).get("all_in_base_qty").decimalValue())
                .isEqualByComparingTo("13.43");
    }

    @Test
    void shouldQuoteTheSlippageLadderWithTheVenuesDefaultFeeAndBandsByDefault() throws Exception {
        CliRun r =
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        kraken().toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("taker_fee_bps").decimalValue()).isEqualByComparingTo("40");
        List<Integer> bands = new ArrayList<>();
        j.get("depth").forEach(b -> bands.add(b.get("band_bps").asInt()));
        assertThat(bands).containsExactly(10, 25, 50, 100, 200);
        List<String> quotes = new ArrayList<>();
        j.get("quotes")
                .forEach(q -> quotes.add(q.get("side").asText() + q.get("notional").asLong()));
        assertThat(quotes)
                .containsExactly(
                        "buy10000",
                        "buy50000",
                        "buy100000",
                        "buy250000",
                        "buy500000",
                        "buy1000000",
                        "sell10000",
                        "sell50000",
                        "sell100000",
                        "sell250000",
                        "sell500000",
                        "sell1000000");
        // The job's default is the same ladder.
        assertThat(RunOptions.parse(new String[0]).notionals)
                .containsExactly(10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000);
    }

    @Test
    void shouldRefuseABadFeeOrBandInOneLineWithExitCodeTwo() throws Exception {
        String book = kraken().toString();
        String[][] cases = {
            {"--taker-fee-bps", "abc"},
            {"--taker-fee-bps", "-1"},
            {"--taker-fee-bps", "10000"},
            {"--bands", "0"},
            {"--bands", "ten"},
            {"--bands", "10000"},
            {"--notional", "-5"},
        };
        String[] expected = {
            "depthflow quote: taker fee for kraken is not a number of basis points: 'abc'",
            "depthflow quote: taker fee for kraken must be at least 0 and below 10000 bps, got -1",
            "depthflow quote: taker fee for kraken must be at least 0 and below 10000 bps, got 10000",
            "depthflow quote: --bands must be a positive whole number, got '0'",
            "depthflow quote: --bands must be a positive whole number, got 'ten'",
            "depthflow quote: --bands must be below 10000 bps, got '10000'",
            "depthflow quote: --notional must be a positive whole number, got '-5'",
        };
        for (int i = 0; i < cases.length; i++) {
            CliRun r =
                    CliRun.exec(
                            "quote",
                            "--exchange",
                            "kraken",
                            "--market",
                            "BTC/USD",
                            "--book",
                            book,
                            cases[i][0],
                            cases[i][1]);
            assertThat(r.code()).as(cases[i][1]).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).isEqualTo(expected[i]);
        }
    }

    @Test
    void shouldStillPrintTheSpreadInBps() throws Exception {
        CliRun r =
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        kraken().toString(),
                        "--notional",
                        "1");
        assertThat(JSON.readTree(r.out()).get("spread_bps").asDouble())
                .isCloseTo(87.1 / 30340.55 * 1e4, within(1e-9));
    }
}
