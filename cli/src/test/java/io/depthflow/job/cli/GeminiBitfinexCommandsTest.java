package io.depthflow.job.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI with Gemini and Bitfinex: {@code quote --exchange gemini|bitfinex} on saved REST books of
 * those venues, and {@code run}'s options for all five venues.
 */
class GeminiBitfinexCommandsTest {

    @TempDir Path dir;

    private JsonNode quote(String exchange, String body, String... notionals) throws Exception {
        Path book = dir.resolve(exchange + ".json");
        Files.writeString(book, body, StandardCharsets.UTF_8);
        String[] args = new String[7 + 2 * notionals.length];
        String[] head = {
            "quote", "--exchange", exchange, "--market", "BTC/USD", "--book", book.toString()
        };
        System.arraycopy(head, 0, args, 0, head.length);
        for (int i = 0; i < notionals.length; i++) {
            args[7 + 2 * i] = "--notional";
            args[8 + 2 * i] = notionals[i];
        }
        CliRun r = CliRun.exec(args);
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(r.out());
    }

    @Test
    void shouldQuoteTheDocumentedGeminiBook() throws Exception {
        JsonNode j =
                quote(
                        "gemini",
                        Fixtures.resource("fixtures/docs-examples/gemini/gemini-rest-book.json"),
                        "50000");
        assertThat(j.get("best_bid").decimalValue()).isEqualByComparingTo("3607.85");
        assertThat(j.get("best_ask").decimalValue()).isEqualByComparingTo("3607.86");
        // buy $50k: the one ask holds 3607.86 x 14.68205084 = 52,970.78... >= 50,000
        JsonNode buy = j.get("quotes").get(0);
        assertThat(buy.get("complete").asBoolean()).isTrue();
        assertThat(buy.get("levels").asInt()).isEqualTo(1);
        assertThat(buy.get("avg_price").decimalValue()).isEqualByComparingTo("3607.86");
        // sell $50k: the one bid holds only 3607.85 x 6.643373 = 23,968.29...: incomplete
        JsonNode sell = j.get("quotes").get(1);
        assertThat(sell.get("complete").asBoolean()).isFalse();
        assertThat(sell.get("filled_notional").decimalValue())
                .isEqualByComparingTo(
                        new BigDecimal("3607.85").multiply(new BigDecimal("6.643373")));
    }

    @Test
    void shouldQuoteABitfinexBookWithNegativeAskAmountsAndENotation() throws Exception {
        String body = "[[90000,2,0.5],[89999,1,1.25],[90001,1,-0.3],[90002,3,-2e-7],[90003,1,-1]]";
        JsonNode j = quote("bitfinex", body, "50000");
        assertThat(j.get("best_bid").decimalValue()).isEqualByComparingTo("90000");
        assertThat(j.get("best_ask").decimalValue()).isEqualByComparingTo("90001");
        // buy $50k: 90001 x 0.3 = 27,000.3, then 90002 x 0.0000002 = 0.0180004, then 22,999.6819996
        // at 90003
        JsonNode buy = j.get("quotes").get(0);
        assertThat(buy.get("complete").asBoolean()).isTrue();
        assertThat(buy.get("levels").asInt()).isEqualTo(3);
        assertThat(buy.get("worst_price").decimalValue()).isEqualByComparingTo("90003");
        // sell $50k: 90000 x 0.5 = 45,000, then 5,000 at 89999
        JsonNode sell = j.get("quotes").get(1);
        assertThat(sell.get("levels").asInt()).isEqualTo(2);
        assertThat(sell.get("worst_price").decimalValue()).isEqualByComparingTo("89999");
        assertThat(sell.get("filled_notional").decimalValue()).isEqualByComparingTo("50000");
    }

    @Test
    void shouldTakeAllFiveVenuesAndTheirFlagsInRun() throws Exception {
        RunOptions o =
                RunOptions.parse(
                        new String[] {
                            "--exchanges", "coinbase,kraken,bitstamp,gemini,bitfinex",
                            "--gemini-url", "http://127.0.0.1:9000/gemini",
                            "--bitfinex-ws-url", "ws://127.0.0.1:9001/bitfinex/ws/2",
                            "--bitfinex-depth", "25"
                        });
        assertThat(o.exchanges)
                .containsExactly("coinbase", "kraken", "bitstamp", "gemini", "bitfinex");
        assertThat(o.restUrls)
                .containsEntry("gemini", "http://127.0.0.1:9000/gemini")
                .containsEntry("bitfinex", "https://api-pub.bitfinex.com");
        assertThat(o.wsUrls)
                .containsEntry("bitfinex", "ws://127.0.0.1:9001/bitfinex/ws/2")
                .containsEntry("gemini", "wss://api.gemini.com/v2/marketdata");
        // Bitfinex takes a book length (default 250); Gemini's l2 feed takes none.
        assertThat(o.depths).containsEntry("bitfinex", 25).doesNotContainKey("gemini");
        assertThat(RunOptions.parse(new String[] {"--exchanges", "bitfinex"}).depths)
                .containsEntry("bitfinex", 250);

        CliRun bad = CliRun.exec("run", "--exchanges", "bitfinex", "--bitfinex-depth", "50");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err().strip())
                .contains("bitfinex")
                .contains("50")
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void shouldNameBitfinexsOwnErrorInOneLine() throws Exception {
        Path book = dir.resolve("err.json");
        Files.writeString(book, "[\"error\",10020,\"symbol: invalid\"]", StandardCharsets.UTF_8);
        CliRun r =
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "bitfinex",
                        "--market",
                        "BTC/USD",
                        "--book",
                        book.toString(),
                        "--notional",
                        "50000");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip())
                .contains("symbol: invalid (code 10020)")
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }
}
