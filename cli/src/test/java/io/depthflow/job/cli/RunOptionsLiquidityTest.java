package io.depthflow.job.cli;

import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.liquidity.PublicTakerFees;
import io.depthflow.job.options.RunOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run --taker-fee-bps} and {@code --bands}: defaults, overrides, and bad input as one line.
 */
class RunOptionsLiquidityTest {

    @Test
    void shouldDefaultToThePublicFeesAndBandsAndTakeOverrides() throws Exception {
        RunOptions defaults = RunOptions.parse(new String[0]);
        assertThat(defaults.liquidity.feeBps("kraken"))
                .isEqualByComparingTo(PublicTakerFees.BASE_TIER_BPS.get("kraken"));
        assertThat(defaults.liquidity.bandsBps()).containsExactly(Liquidity.DEFAULT_BANDS_BPS);
        assertThat(defaults.liquidity.notionals()).containsExactly(defaults.notionals);

        RunOptions set =
                RunOptions.parse(
                        new String[] {
                            "--taker-fee-bps", "kraken=12.5,coinbase=0", "--bands", "5,300"
                        });
        assertThat(set.liquidity.feeBps("kraken")).isEqualByComparingTo(new BigDecimal("12.5"));
        assertThat(set.liquidity.feeBps("coinbase")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(set.liquidity.bandsBps()).containsExactly(5, 300);
    }

    @Test
    void shouldAnswerBadFeesAndBandsWithOneLineAndExitCode2() {
        for (String[] bad :
                new String[][] {
                    {"--taker-fee-bps", "kraken"},
                    {"--taker-fee-bps", "kraken=-1"},
                    {"--taker-fee-bps", "kraken=10000"},
                    {"--bands", "0"},
                    {"--bands", "10000"},
                    {"--bands", "ten"}
                }) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code =
                    Main.execute(
                            new String[] {"run", bad[0], bad[1]},
                            new PrintStream(
                                    new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as("%s %s: %s", bad[0], bad[1], text).isEqualTo(2);
            assertThat(text.strip().lines()).as(text).hasSize(1);
            assertThat(text)
                    .startsWith("depthflow run: " + bad[0])
                    .doesNotContain("Exception", "\tat ");
        }
    }
}
