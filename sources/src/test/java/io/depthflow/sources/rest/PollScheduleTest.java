package io.depthflow.sources.rest;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PollScheduleTest {

    private static final long MINUTE = 60_000;
    private static final long T = Instant.parse("2026-11-20T11:45:00Z").toEpochMilli();

    @Test
    void shouldAlignFirstPollToTheNextTickOfTheGrid() {
        assertThat(PollSchedule.firstTick(T, MINUTE)).isEqualTo(T);
        assertThat(PollSchedule.firstTick(T + 1, MINUTE)).isEqualTo(T + MINUTE);
        assertThat(PollSchedule.firstTick(T + 59_999, MINUTE)).isEqualTo(T + MINUTE);
        assertThat(PollSchedule.firstTick(T + 3_203, 15_000)).isEqualTo(T + 15_000);
    }

    @Test
    void shouldScheduleTheNextPollStrictlyAfterNowSkippingMissedTicks() {
        assertThat(PollSchedule.tickAfter(T, MINUTE)).isEqualTo(T + MINUTE);
        assertThat(PollSchedule.tickAfter(T + 150, MINUTE)).isEqualTo(T + MINUTE);
        assertThat(PollSchedule.tickAfter(T + 3 * MINUTE + 5, MINUTE)).isEqualTo(T + 4 * MINUTE);
    }

    @Test
    void shouldDrawFullJitterBackoffBelowADoublingCap() {
        SplittableRandom random = new SplittableRandom(1);
        long[] caps = {1_000, 2_000, 4_000, 8_000, 10_000, 10_000};
        for (int attempt = 1; attempt <= caps.length; attempt++) {
            long max = 0;
            for (int i = 0; i < 2_000; i++) {
                long delay = PollSchedule.backoff(attempt, 1_000, 10_000, random);
                assertThat(delay).isBetween(0L, caps[attempt - 1]);
                max = Math.max(max, delay);
            }
            assertThat(max)
                    .as("attempt %s uses its whole range", attempt)
                    .isGreaterThan(caps[attempt - 1] * 9 / 10);
        }
        assertThat(PollSchedule.backoff(400, 1_000, 10_000, random)).isBetween(0L, 10_000L);
    }

    @Test
    void shouldReadRetryAfterAsSecondsOrHttpDate() {
        long now = Instant.parse("2026-11-20T11:45:00Z").toEpochMilli();
        assertThat(PollSchedule.retryAfterMs("2", now)).isEqualTo(2_000);
        assertThat(PollSchedule.retryAfterMs(" 0 ", now)).isZero();
        assertThat(PollSchedule.retryAfterMs("Fri, 20 Nov 2026 11:45:30 GMT", now))
                .isEqualTo(30_000);
        assertThat(PollSchedule.retryAfterMs("Fri, 20 Nov 2026 11:44:00 GMT", now)).isZero();
        assertThat(PollSchedule.retryAfterMs("86400", now))
                .isEqualTo(PollSchedule.MAX_RETRY_AFTER_MS);
        assertThat(PollSchedule.retryAfterMs("soon", now)).isZero();
        assertThat(PollSchedule.retryAfterMs(null, now)).isZero();
    }
}
