package io.depthflow.job.cli;

import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import io.depthflow.sources.clock.SourceClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo/test clock flags of {@code run}: {@code --clock-speed} and {@code --clock-start}. */
class RunOptionsClockTest {

    private static final String SIM = "http://127.0.0.1:9000";

    @Test
    void shouldUseTheWallClockByDefault() throws Exception {
        RunOptions opts = RunOptions.parse(new String[] {});

        assertThat(opts.clockSpeed).isEqualTo(1);
        assertThat(opts.clock()).isSameAs(SourceClock.system());
    }

    @Test
    void shouldRunAnAnchoredFastClockThatAResumedJobReadsAlike() throws Exception {
        Instant anchor = Instant.ofEpochMilli(System.currentTimeMillis() - 10_000);
        String[] args = {
            "--coinbase-url",
            SIM,
            "--kraken-url",
            SIM,
            "--clock-speed",
            "6",
            "--clock-start",
            anchor.toString()
        };

        SourceClock first = RunOptions.parse(args).clock();
        SourceClock resumed = RunOptions.parse(args).clock();

        long a = first.currentTimeMillis();
        long b = resumed.currentTimeMillis();
        // 10 s of real time since the anchor are a minute of clock time, in both.
        assertThat(a - anchor.toEpochMilli()).isBetween(60_000L, 60_000L + 6 * 1_000L);
        assertThat(b - a).isBetween(0L, 6 * 200L);
        assertThat(first.toRealMillis(60_000)).isEqualTo(10_000);
    }

    @Test
    void shouldRefuseAFastClockAgainstTheRealExchanges() {
        assertThatThrownBy(
                        () ->
                                RunOptions.parse(
                                        new String[] {
                                            "--coinbase-url",
                                            SIM,
                                            "--clock-speed",
                                            "6",
                                            "--clock-start",
                                            "2026-11-22T10:00:00Z"
                                        }))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(
                        "--clock-speed is a demo/test feature for the exchange simulator");
        // with only one exchange selected, that exchange's simulator URL is enough
        assertThat(
                        catchUsage(
                                "--exchanges",
                                "kraken",
                                "--kraken-url",
                                SIM,
                                "--clock-speed",
                                "6",
                                "--clock-start",
                                "2026-11-22T10:00:00Z"))
                .isNull();
    }

    @Test
    void shouldRequireAnExplicitAnchorForAFastClock() {
        assertThat(catchUsage("--coinbase-url", SIM, "--kraken-url", SIM, "--clock-speed", "6"))
                .isEqualTo("run: --clock-start is required");
        assertThat(
                        catchUsage(
                                "--coinbase-url",
                                SIM,
                                "--kraken-url",
                                SIM,
                                "--clock-speed",
                                "6",
                                "--clock-start",
                                "10:00"))
                .isEqualTo(
                        "run: --clock-start must be an instant like 2026-11-22T10:00:00Z, got '10:00'");
        assertThat(catchUsage("--clock-start", "2026-11-22T10:00:00Z"))
                .isEqualTo("run: --clock-start only applies with --clock-speed N (N > 1)");
    }

    private static String catchUsage(String... args) {
        try {
            RunOptions.parse(args);
            return null;
        } catch (UsageException e) {
            return e.getMessage();
        }
    }
}
