package io.depthflow.job.e2e;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.simulator.ExchangeSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.depthflow.job.e2e.BiViews.BOOKS;
import static io.depthflow.job.e2e.BiViews.MARKETS;
import static io.depthflow.job.e2e.BiViews.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/depthflow run} killed with SIGKILL in the middle of a minute and started again on the
 * same data directory: a real process (the CLI's {@code Main} in its own JVM, as bin/depthflow
 * starts it, with the terminal's logging configuration), polling the exchange simulator over HTTP
 * on an accelerated clock (4x: a minute every 15 s) and writing into the real ClickHouse engine.
 *
 * <p>Checked: the second run says it resumes from the first one's checkpoint; the minute that was
 * open at the kill keeps the polls the first run made before it (they come from the checkpoint: the
 * first run never wrote that minute); the minutes while no run was up are absent from the views
 * ({@link #assertMinutesWhileDownAreRecorded}); and every minute in the views is exactly once and
 * has the mids an independent calculation gives over the raw payloads, which is what the same input
 * gives without the fault.
 */
@ExtendWith(ClickHouseTestServer.class)
class RunKilledAndResumedITCase {

    private static final int SPEED = 4;

    /** Two polls a minute, at :00 and :30: the kill goes between them, after a checkpoint. */
    private static final String INTERVAL = "30s";

    private static final Pattern RESUMING = Pattern.compile("resuming from checkpoint (\\d+) of ");

    @TempDir Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldKeepTheOpenMinuteFromTheCheckpointAndLeaveOutTheMinutesItWasDown() throws Exception {
        ClickHouseTestServer.resetSchema();
        long anchor = System.currentTimeMillis();
        AcceleratedClock clock = AcceleratedClock.anchoredAt(anchor, SPEED);
        Path data = dir.resolve("data");
        long openMinute;
        long killedAt;
        long secondRunFrom;
        String secondErr;
        try (ExchangeSimulator sim = ExchangeSimulator.builder().clock(clock).seed(31).start()) {
            List<String> args =
                    List.of(
                            "run",
                            "--data-dir",
                            data.toString(),
                            "--clickhouse-url",
                            ClickHouseTestServer.jdbcUrl(),
                            "--coinbase-url",
                            sim.baseUrl("coinbase"),
                            "--kraken-url",
                            sim.baseUrl("kraken"),
                            "--interval",
                            INTERVAL,
                            "--out-of-orderness",
                            "12s",
                            "--checkpoint-interval",
                            "1s",
                            "--clock-speed",
                            String.valueOf(SPEED),
                            "--clock-start",
                            Instant.ofEpochMilli(anchor).toString(),
                            "--web-port",
                            "0",
                            "--quiet");

            // 1. the first run writes a complete minute, then is killed after the :00 poll of a
            //    minute is in a completed checkpoint and before that minute's :30 poll
            Process first = startRun(args, dir.resolve("run1.err"));
            try {
                awaitLine(first, dir.resolve("run1.err"), "starting from empty state", 90);
                BiViews.awaitCompleteWindowFrom(Long.MIN_VALUE, 120);
                openMinute = awaitOpenMinuteCheckpointed(clock, data);
                killedAt = clock.currentTimeMillis();
                assertThat(killedAt - openMinute)
                        .as("killed before the :30 poll")
                        .isLessThan(28_000);
            } finally {
                first.destroyForcibly(); // SIGKILL
                first.waitFor(30, TimeUnit.SECONDS);
            }

            // 2. down for at least one whole minute of the sources' time
            long downUntil = openMinute + 2 * MINUTE + 5_000;
            while (clock.currentTimeMillis() < downUntil) {
                Thread.sleep(100);
            }

            // 3. the second run on the same data directory resumes and writes further minutes
            Process second = startRun(args, dir.resolve("run2.err"));
            try {
                awaitLine(second, dir.resolve("run2.err"), "running; Flink web UI", 90);
                secondRunFrom = clock.currentTimeMillis() / MINUTE * MINUTE;
                BiViews.awaitCompleteWindowFrom(secondRunFrom + MINUTE, 150);
            } finally {
                second.destroy(); // SIGTERM: Ctrl-C
                second.waitFor(60, TimeUnit.SECONDS);
                if (second.isAlive()) {
                    second.destroyForcibly();
                }
            }
            secondErr = Files.readString(dir.resolve("run2.err"), StandardCharsets.UTF_8);
        }

        // the second run said where it resumed from: the first run's checkpoint
        Matcher resumed = RESUMING.matcher(secondErr);
        assertThat(resumed.find()).as("second run's terminal:\n%s", secondErr).isTrue();

        // the open minute holds exactly the polls the first run made in it before the kill, from
        // the checkpoint (the first run never wrote it: it was open)
        Map<String, Long> samples = BiViews.samples();
        for (String market : MARKETS) {
            for (String exchange : BOOKS) {
                long before = BiViews.polls(exchange, market, openMinute, killedAt);
                assertThat(before).as("%s %s polls before the kill", exchange, market).isPositive();
                assertThat(BiViews.polls(exchange, market, killedAt, openMinute + MINUTE))
                        .as("%s %s polls of the open minute after the kill", exchange, market)
                        .isZero();
                assertThat(samples.get(openMinute + "|" + market + "|" + exchange))
                        .as(
                                "samples of %s %s in the minute open at the kill (%s)",
                                exchange, market, Instant.ofEpochMilli(openMinute))
                        .isEqualTo(before);
            }
        }

        // the minutes no run observed are not made up
        List<Long> down = new ArrayList<>();
        for (long w = openMinute + MINUTE; w < secondRunFrom; w += MINUTE) {
            boolean observed = false;
            for (String market : MARKETS) {
                for (String exchange : BOOKS) {
                    observed |= BiViews.polls(exchange, market, w, w + MINUTE) > 0;
                }
            }
            if (!observed) {
                down.add(w);
            }
        }
        assertThat(down).as("minutes without any poll").isNotEmpty();
        assertMinutesWhileDownAreRecorded(down);

        // every minute once, with the values of the same input without the fault (up to the last
        // minute closed before the second run was stopped: the one open then was never written)
        BiViews.midRowCounts()
                .forEach((key, rows) -> assertThat(rows).as("rows of %s", key).isEqualTo(1));
        BiViews.assertMidsMatchTheRawPayloads(Long.MIN_VALUE, BiViews.lastCompleteWindow());
    }

    /**
     * The minutes no run was up for: nothing of theirs may be in the views, and each one is
     * recorded as a gap ({@link BiViews#assertRecordedAsGaps}).
     */
    private static void assertMinutesWhileDownAreRecorded(List<Long> down) throws Exception {
        Map<String, Integer> rows = BiViews.midRowCounts();
        for (long w : down) {
            for (String market : MARKETS) {
                for (String exchange : List.of("coinbase", "kraken", "all")) {
                    assertThat(rows)
                            .as(
                                    "a mid for %s %s %s, while no run was up",
                                    Instant.ofEpochMilli(w), market, exchange)
                            .doesNotContainKey(w + "|" + market + "|" + exchange);
                }
            }
        }
        BiViews.assertRecordedAsGaps(down);
    }

    /**
     * Waits for a minute whose :00 polls of all four books are written and then covered by a
     * completed checkpoint (two checkpoints later, so its barrier followed the polls), with the
     * clock still before :28 of that minute; returns the minute. Tries the next minute if the
     * window is missed.
     */
    private static long awaitOpenMinuteCheckpointed(AcceleratedClock clock, Path data)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            long minute = clock.currentTimeMillis() / MINUTE * MINUTE;
            if (allBooksPolled(minute)) {
                long seen = latestCheckpoint(data);
                while (clock.currentTimeMillis() - minute < 26_000) {
                    if (latestCheckpoint(data) >= seen + 2) {
                        return minute;
                    }
                    Thread.sleep(50);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "no minute with its :00 polls checkpointed before :26 within 90 s");
    }

    private static boolean allBooksPolled(long minute) throws Exception {
        for (String market : MARKETS) {
            for (String exchange : BOOKS) {
                if (BiViews.polls(exchange, market, minute, minute + 28_000) == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The highest completed checkpoint (chk-N with its _metadata) under the data directory, or -1.
     */
    private static long latestCheckpoint(Path data) throws IOException {
        Path dir = data.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .mapToLong(p -> Long.parseLong(p.getFileName().toString().substring(4)))
                    .max()
                    .orElse(-1);
        }
    }

    /**
     * {@code depthflow run ...} in its own JVM, as bin/depthflow starts it; stderr to {@code err}.
     */
    private static Process startRun(List<String> args, Path err) throws IOException {
        Path root = LocalFlinkCluster.repositoryRoot();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(
                List.of(System.getProperty("depthflow.test.jvm.opens", OPENS).split("\\s+")));
        command.add("-Dlog4j.configurationFile=" + root.resolve("deploy/log4j2-cli.properties"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.depthflow.job.cli.Main");
        command.addAll(args);
        return new ProcessBuilder(command)
                .directory(err.getParent().toFile())
                .redirectErrorStream(false)
                .redirectError(err.toFile())
                .redirectOutput(err.resolveSibling(err.getFileName() + ".out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private static void awaitLine(Process p, Path err, String text, int timeoutSeconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            String s = Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
            if (s.contains(text)) {
                return;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(
                        "run "
                                + (p.isAlive()
                                        ? "did not print '"
                                                + text
                                                + "' within "
                                                + timeoutSeconds
                                                + " s"
                                        : "exited with " + p.exitValue())
                                + "; its terminal:\n"
                                + s);
            }
            Thread.sleep(100);
        }
    }

    /** Flink's JDK 17 opens, as bin/depthflow passes them. */
    private static final String OPENS =
            String.join(
                    " ",
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
}
