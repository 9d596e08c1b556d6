package io.depthflow.job.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.job.liquidity.AllInQuote;
import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The {@code route} contract: the JSON object of the issue, numbers as JSON numbers, on the
 * README's worked example (docs/examples), whose output the README must show; and bad input in one
 * line.
 */
class RouteCommandTest {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir Path dir;

    /** The repository root (surefire runs in job/). */
    private static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("docs/examples"))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root with docs/examples").isNotNull();
        return p;
    }

    private static String coinbase() {
        return repo().resolve("docs/examples/route-coinbase-btc-usd.json").toString();
    }

    private static String kraken() {
        return repo().resolve("docs/examples/route-kraken-btc-usd.json").toString();
    }

    private static CliRun example() {
        // The README's command, run from the repository root.
        return CliRun.exec(
                "route",
                "--market",
                "BTC/USD",
                "--book",
                "coinbase=" + coinbase(),
                "--book",
                "kraken=" + kraken(),
                "--notional",
                "10000",
                "--notional",
                "100000");
    }

    private static OrderBookSnapshot parse(String venue, String file) throws Exception {
        return BookParsers.parse(
                RawMessage.restResponse(
                        venue,
                        "BTC/USD",
                        0L,
                        200,
                        Files.readString(Path.of(file), StandardCharsets.UTF_8)));
    }

    @Test
    void shouldPrintTheRoutesBestSingleVenuesSavingsAndArbitrageOfTheWorkedExample()
            throws Exception {
        CliRun r = example();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).doesNotContain("\n");
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("market").asText()).isEqualTo("BTC/USD");
        List<String> order = new ArrayList<>();
        j.get("routes")
                .forEach(o -> order.add(o.get("side").asText() + o.get("notional").asLong()));
        assertThat(order).containsExactly("buy10000", "buy100000", "sell10000", "sell100000");

        // Buy $10k: Kraken's top ask 90050 x 1.004 = 90410.2 beats Coinbase's 90000 x 1.006 =
        // 90540:
        // the fee flips the venue; Kraken alone fills it, so routing saves nothing.
        JsonNode buy10 = j.get("routes").get(0);
        assertThat(buy10.get("complete").asBoolean()).isTrue();
        assertThat(buy10.get("all_in_price").decimalValue()).isEqualByComparingTo("90410.2");
        assertThat(buy10.get("legs")).hasSize(1);
        assertThat(buy10.get("legs").get(0).get("exchange").asText()).isEqualTo("kraken");
        assertThat(buy10.get("legs").get(0).get("cash").decimalValue())
                .isEqualByComparingTo("10000");
        assertThat(buy10.get("best_single").get("exchange").asText()).isEqualTo("kraken");
        assertThat(buy10.get("savings_bps").asDouble()).isZero();

        // Buy $100k, by hand. Effective asks: kraken 90050 x 1.004 = 90410.2 (x 0.35 = 31,643.57),
        // 90071.4 x 1.004 = 90431.6856 (x 0.3 = 27,129.50568), then coinbase 90000 x 1.006 = 90540
        // (x 0.4 = 36,216), then coinbase 90012.5 x 1.006 = 90552.575, before kraken's 90882.08:
        // 31,643.57 + 27,129.50568 + 36,216 = 94,989.07568, and the remaining 5,010.92432 is cut
        // from coinbase's 90552.575 level.
        JsonNode buy100 = j.get("routes").get(1);
        BigDecimal krakenCash = new BigDecimal("31643.57").add(new BigDecimal("27129.50568"));
        BigDecimal cut =
                new BigDecimal("5010.92432")
                        .divide(new BigDecimal("90552.575"), MathContext.DECIMAL128);
        BigDecimal base =
                new BigDecimal("0.35")
                        .add(new BigDecimal("0.3"))
                        .add(new BigDecimal("0.4"))
                        .add(cut);
        assertThat(buy100.get("complete").asBoolean()).isTrue();
        assertThat(buy100.get("base_qty").decimalValue())
                .isEqualByComparingTo(QuoteCommand.plain(base));
        assertThat(buy100.get("all_in_price").decimalValue())
                .isEqualByComparingTo(
                        QuoteCommand.plain(
                                new BigDecimal("100000").divide(base, MathContext.DECIMAL128)));
        JsonNode cb = buy100.get("legs").get(0);
        JsonNode kr = buy100.get("legs").get(1);
        assertThat(cb.get("exchange").asText()).isEqualTo("coinbase");
        assertThat(cb.get("cash").decimalValue()).isEqualByComparingTo("41226.92432");
        assertThat(cb.get("levels").asInt()).isEqualTo(2);
        assertThat(kr.get("exchange").asText()).isEqualTo("kraken");
        assertThat(kr.get("cash").decimalValue()).isEqualByComparingTo(krakenCash);
        assertThat(kr.get("base_qty").decimalValue()).isEqualByComparingTo("0.65");
        assertThat(kr.get("levels").asInt()).isEqualTo(2);
        // Kraken alone must reach its 90520 ask; the best single venue is still Kraken.
        AllInQuote alone =
                Liquidity.allIn(
                        parse("kraken", kraken()),
                        Side.BUY,
                        new BigDecimal("100000"),
                        new BigDecimal("40"));
        assertThat(buy100.get("best_single").get("exchange").asText()).isEqualTo("kraken");
        assertThat(buy100.get("best_single").get("all_in_price").decimalValue())
                .isEqualByComparingTo(QuoteCommand.plain(alone.allInPrice()));
        double single = alone.allInPrice().doubleValue();
        assertThat(buy100.get("savings_bps").asDouble())
                .isCloseTo(
                        (single - buy100.get("all_in_price").asDouble()) / single * 1e4,
                        within(1e-6));
        assertThat(buy100.get("savings_bps").asDouble()).isGreaterThan(10);

        // 60 + 40 bps of fees leave no dislocation between books this close.
        assertThat(j.get("arbitrage")).isEmpty();
        assertThat(j.get("routes").get(3).get("all_in_price").isNumber()).isTrue();
    }

    @Test
    void shouldShowTheExampleOutputInTheReadme() throws Exception {
        String readme = Files.readString(repo().resolve("README.md"), StandardCharsets.UTF_8);
        int marker = readme.indexOf("<!-- route-example-output -->");
        assertThat(marker).as("README route example marker").isPositive();
        int open = readme.indexOf("```json\n", marker) + "```json\n".length();
        int close = readme.indexOf("```", open);
        JsonNode shown = JSON.readTree(readme.substring(open, close));
        assertThat(shown).isEqualTo(JSON.readTree(example().out()));
    }

    @Test
    void shouldReportDislocationsAndApplyTheGivenFees() throws Exception {
        // At 0 bps the books above do not cross (Coinbase 89990 bid < Kraken 90050 ask); a Kraken
        // book whose asks are below Coinbase's bids does.
        Path low = dir.resolve("kraken-low.json");
        Files.writeString(
                low,
                "{\"error\":[],\"result\":{\"XXBTZUSD\":{"
                        + "\"asks\":[[\"89900.0\",\"0.2\",1],[\"89980.0\",\"1.0\",1]],"
                        + "\"bids\":[[\"89800.0\",\"1.0\",1]]}}}",
                StandardCharsets.UTF_8);
        CliRun r =
                CliRun.exec(
                        "route",
                        "--market",
                        "BTC/USD",
                        "--book",
                        "kraken=" + low,
                        "--book",
                        "coinbase=" + coinbase(),
                        "--notional",
                        "1000",
                        "--taker-fee-bps",
                        "coinbase=0,kraken=0");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode arb = JSON.readTree(r.out()).get("arbitrage");
        assertThat(arb).hasSize(1);
        JsonNode a = arb.get(0);
        // Buy kraken 0.2 @ 89900 and 0.25 @ 89980 against coinbase's 89990 x 0.45; then 89975 <
        // 89980.
        assertThat(a.get("buy_exchange").asText()).isEqualTo("kraken");
        assertThat(a.get("sell_exchange").asText()).isEqualTo("coinbase");
        assertThat(a.get("base_qty").decimalValue()).isEqualByComparingTo("0.45");
        assertThat(a.get("cost").decimalValue()).isEqualByComparingTo("40475");
        assertThat(a.get("profit").decimalValue()).isEqualByComparingTo("20.5");
        assertThat(a.get("profit_bps").asDouble()).isCloseTo(20.5 / 40475 * 1e4, within(1e-9));
    }

    @Test
    void shouldReportNoBestSingleVenueAsNull() throws Exception {
        // $500k is more than either venue holds alone (about $300k each side) but not together.
        CliRun r =
                CliRun.exec(
                        "route",
                        "--market",
                        "BTC/USD",
                        "--book",
                        "coinbase=" + coinbase(),
                        "--book",
                        "kraken=" + kraken(),
                        "--notional",
                        "500000");
        JsonNode buy = JSON.readTree(r.out()).get("routes").get(0);
        assertThat(buy.get("complete").asBoolean()).isTrue();
        assertThat(buy.get("best_single").isNull()).isTrue();
        assertThat(buy.get("savings_bps").isNull()).isTrue();
        // $1M is more than both together: incomplete, priced over what exists.
        CliRun big =
                CliRun.exec(
                        "route",
                        "--market",
                        "BTC/USD",
                        "--book",
                        "coinbase=" + coinbase(),
                        "--book",
                        "kraken=" + kraken(),
                        "--notional",
                        "1000000");
        JsonNode all = JSON.readTree(big.out()).get("routes").get(0);
        assertThat(all.get("complete").asBoolean()).isFalse();
        assertThat(all.get("base_qty").decimalValue()).isEqualByComparingTo("7.3");
    }

    @Test
    void shouldAnswerBadInputWithOneLineAndTheDocumentedExitCode() throws Exception {
        Path html = dir.resolve("page.html");
        Files.writeString(
                html, "<html><body>503 Service Unavailable</body></html>", StandardCharsets.UTF_8);
        String cb = "coinbase=" + coinbase();
        Object[][] cases = {
            {
                2,
                "depthflow route: --book VENUE=FILE is required (one per venue)",
                new String[] {"--market", "BTC/USD"}
            },
            {2, "depthflow route: --market is required", new String[] {"--book", cb}},
            {
                2,
                "depthflow route: unknown exchange 'binance': expected one of "
                        + io.depthflow.sources.venue.Venues.names(),
                new String[] {"--market", "BTC/USD", "--book", "binance=" + coinbase()}
            },
            {
                2,
                "depthflow route: --book must be VENUE=FILE, got '" + coinbase() + "'",
                new String[] {"--market", "BTC/USD", "--book", coinbase()}
            },
            {
                2,
                "depthflow route: --book kraken=/nonexistent/book.json: no such file",
                new String[] {"--market", "BTC/USD", "--book", "kraken=/nonexistent/book.json"}
            },
            {
                2,
                "depthflow route: --book coinbase given twice",
                new String[] {"--market", "BTC/USD", "--book", cb, "--book", cb}
            },
            {
                2,
                "depthflow route: taker fee 'coinbase': expected VENUE=BPS, e.g. coinbase=60,kraken=40",
                new String[] {"--market", "BTC/USD", "--book", cb, "--taker-fee-bps", "coinbase"}
            },
            {
                2,
                "depthflow route: taker fee for coinbase is not a number of basis points: '6O'",
                new String[] {"--market", "BTC/USD", "--book", cb, "--taker-fee-bps", "coinbase=6O"}
            },
            {
                2,
                "depthflow route: unknown exchange 'binance': expected one of "
                        + io.depthflow.sources.venue.Venues.names(),
                new String[] {"--market", "BTC/USD", "--book", cb, "--taker-fee-bps", "binance=10"}
            },
            {
                2,
                "depthflow route: --notional must be a positive whole number, got '-100'",
                new String[] {"--market", "BTC/USD", "--book", cb, "--notional", "-100"}
            },
            {
                2,
                "depthflow route: unknown option --exchange (see bin/depthflow route --help)",
                new String[] {"--market", "BTC/USD", "--book", cb, "--exchange", "kraken"}
            },
            {1, null, new String[] {"--market", "BTC/USD", "--book", "kraken=" + html}},
            {1, null, new String[] {"--market", "BTC/USD", "--book", "kraken=" + coinbase()}},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[2];
            String[] argv = new String[args.length + 1];
            argv[0] = "route";
            System.arraycopy(args, 0, argv, 1, args.length);
            CliRun r = CliRun.exec(argv);
            String what = String.join(" ", argv);
            assertThat(r.code()).as(what + " -> " + r.err()).isEqualTo(c[0]);
            assertThat(r.out()).as(what).isEmpty();
            String line = r.err().strip();
            assertThat(line)
                    .as(what)
                    .startsWith("depthflow route: ")
                    .doesNotContain("\n")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
            if (c[1] != null) {
                assertThat(line).as(what).isEqualTo(c[1]);
            }
        }
    }

    @Test
    void shouldPrintItsUsageOnHelp() {
        CliRun r = CliRun.exec("route", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .startsWith("usage: bin/depthflow route [OPTIONS]")
                .contains("--market=M")
                .contains("--book=VENUE=FILE")
                .contains("--notional=N")
                .contains("--taker-fee-bps=V=F,...");
        assertThat(CliRun.exec("--help").out()).contains("  route      ");
    }
}
