package io.depthflow.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.sources.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @TempDir Path dir;

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static BigDecimal stored(BigDecimal v) {
        return v.setScale(18, RoundingMode.HALF_EVEN);
    }

    @Test
    void shouldQuoteTheDocumentedKrakenBookAsJsonNumbers() throws Exception {
        Path book = file("kraken.json", Fixtures.docsExample("kraken-rest-depth.json"));
        CliRun r =
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        book.toString(),
                        "--notional",
                        "50000",
                        "--notional",
                        "100000");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j =
                new ObjectMapper()
                        .enable(
                                com.fasterxml.jackson.databind.DeserializationFeature
                                        .USE_BIG_DECIMAL_FOR_FLOATS)
                        .readTree(r.out());
        assertThat(j.get("best_bid").isNumber()).isTrue();
        assertThat(j.get("best_bid").decimalValue()).isEqualByComparingTo("30297");
        assertThat(j.get("best_ask").decimalValue()).isEqualByComparingTo("30384.1");
        assertThat(j.get("mid").decimalValue()).isEqualByComparingTo("30340.55");
        assertThat(j.get("spread_bps").asDouble())
                .isCloseTo(87.1 / 30340.55 * 10_000, org.assertj.core.data.Offset.offset(1e-9));
        JsonNode q = j.get("quotes");
        assertThat(q).hasSize(4);

        // buy $50k: the first ask holds 30384.1 x 2.059 = 62,560.8619 >= 50,000
        JsonNode buy50 = q.get(0);
        assertThat(buy50.get("side").asText()).isEqualTo("buy");
        assertThat(buy50.get("notional").asLong()).isEqualTo(50_000);
        assertThat(buy50.get("complete").asBoolean()).isTrue();
        assertThat(buy50.get("levels").asInt()).isEqualTo(1);
        assertThat(buy50.get("avg_price").decimalValue()).isEqualByComparingTo("30384.1");
        assertThat(buy50.get("base_qty").decimalValue())
                .isEqualByComparingTo(
                        stored(
                                new BigDecimal("50000")
                                        .divide(
                                                new BigDecimal("30384.1"),
                                                MathContext.DECIMAL128)));

        // buy $100k: all of level 1, then (100,000 - 62,560.8619) / 30387.9 of level 2
        JsonNode buy100 = q.get(1);
        BigDecimal base =
                new BigDecimal("2.059")
                        .add(
                                new BigDecimal("37439.1381")
                                        .divide(new BigDecimal("30387.9"), MathContext.DECIMAL128));
        assertThat(buy100.get("levels").asInt()).isEqualTo(2);
        assertThat(buy100.get("worst_price").decimalValue()).isEqualByComparingTo("30387.9");
        assertThat(buy100.get("base_qty").decimalValue()).isEqualByComparingTo(stored(base));
        assertThat(buy100.get("avg_price").decimalValue())
                .isEqualByComparingTo(
                        stored(new BigDecimal("100000").divide(base, MathContext.DECIMAL128)));

        // sell $100k: the three bids hold 33,781.155 + 60,653.9934 + 151,479.2898 > 100,000
        JsonNode sell100 = q.get(3);
        assertThat(sell100.get("side").asText()).isEqualTo("sell");
        assertThat(sell100.get("complete").asBoolean()).isTrue();
        assertThat(sell100.get("levels").asInt()).isEqualTo(3);
        assertThat(sell100.get("filled_notional").decimalValue()).isEqualByComparingTo("100000");
        assertThat(sell100.get("slippage_bps").asDouble()).isPositive();
    }

    @Test
    void shouldNameTheExchangesOwnErrorInOneLineWithoutAStackTrace() throws Exception {
        Path book = file("err.json", Fixtures.docsExample("kraken-rest-error.json"));
        CliRun r =
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        book.toString(),
                        "--notional",
                        "50000");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip())
                .contains("EGeneral:Invalid arguments:ordertype")
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void shouldReportMalformedBooksInOneLine() throws Exception {
        Path book =
                file("bad.json", "{\"sequence\": 1, \"bids\": [[\"1.0\", 2, 1]], \"asks\": []}");
        CliRun r =
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "coinbase",
                        "--market",
                        "BTC/USD",
                        "--book",
                        book.toString(),
                        "--notional",
                        "50000");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip())
                .startsWith("depthflow quote: ")
                .contains("coinbase")
                .doesNotContain("\n");
    }

    @Test
    void shouldAnswerBadArgumentsWithOneLineAndExitCodeTwo() {
        for (String[] args :
                new String[][] {
                    {
                        "quote",
                        "--exchange",
                        "binance",
                        "--market",
                        "BTC/USD",
                        "--book",
                        "x",
                        "--notional",
                        "1"
                    },
                    {
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        "/nonexistent.json",
                        "--notional",
                        "1"
                    },
                    {
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        "x",
                        "--notional",
                        "-5"
                    },
                    {"run", "--interval", "soon"},
                    {"run", "--markets", "BTCUSD"},
                    {"run", "--bogus"},
                    {"sql"},
                    {"frobnicate"}
                }) {
            CliRun r = CliRun.exec(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip())
                    .as(String.join(" ", args))
                    .isNotEmpty()
                    .doesNotContain("\n")
                    .doesNotContain("at io.");
        }
    }

    @Test
    void shouldRefuseANotionalTheUInt32ColumnsWouldWrap() {
        CliRun r = CliRun.exec("run", "--notionals", "50000,5000000000");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip())
                .isEqualTo(
                        "depthflow run: --notionals 5000000000 is above 4294967295 USD, the largest the tables hold");
    }

    @Test
    void shouldPrintUsageOnHelp() {
        CliRun r = CliRun.exec("run", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--replay FILE").contains("--clickhouse-url");
    }
}
