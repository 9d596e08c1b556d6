package io.depthflow.job.e2e;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.cli.Main;
import io.depthflow.sources.capture.Recorder;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.rest.RestBookSource;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/depthflow run --replay FILE} over a capture of several minutes of both exchanges and
 * both markets (recorded from the simulator, faults included), checked against an independent
 * calculation to 1e-9 relative, and replayed twice to show that each window appears once through
 * the BI views.
 */
@ExtendWith(ClickHouseTestServer.class)
class ReplayITCase {

    /** An hour ago, 5 s before a minute boundary (raw_order_books keeps 30 days: stay recent). */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L - 5_000L;

    @TempDir static Path dir;

    static Path capture;

    @BeforeAll
    static void recordCapture() throws Exception {
        capture = dir.resolve("capture.jsonl");
        AcceleratedClock clock = new AcceleratedClock(START, 60);
        try (ExchangeSimulator sim = ExchangeSimulator.builder().clock(clock).seed(11).start()) {
            sim.injectFault("coinbase", Fault.HTTP_429, 1);
            sim.injectFault("kraken", Fault.MALFORMED_JSON, 1);
            sim.injectFault("kraken", Fault.CROSSED_BOOK, 1);
            new Recorder(
                            RestBookSource.builder()
                                    .setBaseUrl("coinbase", sim.baseUrl("coinbase"))
                                    .setBaseUrl("kraken", sim.baseUrl("kraken"))
                                    .setClock(clock)
                                    .setInterval(Duration.ofSeconds(10))
                                    .setDuration(Duration.ofMinutes(5))
                                    .setRateLimit("kraken", 50, 10)
                                    .setRateLimit("coinbase", 50, 10)
                                    .buildPollConfig())
                    .record(capture);
        }
    }

    /**
     * The write-time part of a gold row's version (its low 42 bits; the completeness rank is
     * above).
     */
    private static final String WRITE_TIME = "bitAnd(version, 4398046511103)";

    @Test
    void shouldMatchAnIndependentCalculationAndShowEachWindowOnceAfterTwoReplays()
            throws Exception {
        ClickHouseTestServer.resetSchema();
        List<String> lines = Files.readAllLines(capture, StandardCharsets.UTF_8);
        IndependentCalculation expected =
                IndependentCalculation.of(lines, IndependentCalculation.jobDefaultNotionals());
        assertThat(expected.usableBooks).isGreaterThan(100);
        assertThat(expected.unusableMessages).isGreaterThanOrEqualTo(3);
        assertThat(expected.mids.keySet().stream().map(k -> k.split("\\|")[0]).distinct().count())
                .as("minutes covered")
                .isGreaterThanOrEqualTo(5);

        long firstRunVersion = 0;
        for (int run = 1; run <= 2; run++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code =
                    Main.execute(
                            new String[] {
                                "run",
                                "--replay",
                                capture.toString(),
                                "--clickhouse-url",
                                ClickHouseTestServer.jdbcUrl(),
                                "--web-port",
                                "0"
                            },
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as("exit code; stderr: %s", err).isZero();
            String table = out.toString(StandardCharsets.UTF_8);
            assertThat(table).contains("minute (UTC)").contains("BTC/USD").contains("ETH/USD");
            if (run == 1) {
                firstRunVersion =
                        Long.parseLong(
                                ClickHouseTestServer.query(
                                                "SELECT max(" + WRITE_TIME + ") FROM mid_price_1m")
                                        .get(0)
                                        .get(0));
            }
        }
        // the second replay wrote every window again, from as much data, and its rows are the ones
        // the views read
        assertThat(
                        Long.parseLong(
                                ClickHouseTestServer.query(
                                                "SELECT min("
                                                        + WRITE_TIME
                                                        + ") FROM mid_price_1m FINAL")
                                        .get(0)
                                        .get(0)))
                .isGreaterThan(firstRunVersion);
        BiViewsCheck.assertViewsMatch(expected);
    }
}
