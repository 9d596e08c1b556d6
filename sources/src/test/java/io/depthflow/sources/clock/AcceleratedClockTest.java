package io.depthflow.sources.clock;

import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcceleratedClockTest {

    private static final long START = 1_795_175_100_000L; // 2026-11-20T11:45:00Z

    @Test
    void shouldStartAtTheGivenInstantAndRunFactorTimesFaster() throws Exception {
        long realOrigin = System.currentTimeMillis() - 500;
        AcceleratedClock clock = new AcceleratedClock(START, 60, realOrigin);

        long now = clock.currentTimeMillis();
        // 500 ms (plus the test's own run time) of real time are 30 s of clock time.
        assertThat(now - START).isBetween(30_000L, 30_000L + 60 * 200L);
        Thread.sleep(50);
        assertThat(clock.currentTimeMillis() - now).isGreaterThanOrEqualTo(60 * 50L);
    }

    @Test
    void shouldConvertBetweenClockAndRealDurations() {
        AcceleratedClock clock = new AcceleratedClock(START, 60);

        assertThat(clock.toRealMillis(15_000)).isEqualTo(250);
        assertThat(clock.toRealMillis(1)).isEqualTo(1);
        assertThat(clock.fromRealMillis(250)).isEqualTo(15_000);
        assertThat(SourceClock.system().toRealMillis(15_000)).isEqualTo(15_000);
    }

    @Test
    void shouldKeepItsOriginWhenSerialized() throws Exception {
        AcceleratedClock clock =
                new AcceleratedClock(START, 60, System.currentTimeMillis() - 1_000);

        AcceleratedClock copy = InstantiationUtil.clone(clock);

        assertThat(copy.currentTimeMillis() - START).isGreaterThanOrEqualTo(60_000L);
        assertThat(InstantiationUtil.clone(SystemClock.INSTANCE)).isSameAs(SystemClock.INSTANCE);
    }

    @Test
    void shouldReadTheSameTimeInEveryInstanceAnchoredAtTheSameInstant() throws Exception {
        long anchor = System.currentTimeMillis() - 2_000;
        AcceleratedClock first = AcceleratedClock.anchoredAt(anchor, 4);
        Thread.sleep(20);
        AcceleratedClock later = AcceleratedClock.anchoredAt(anchor, 4); // e.g. a resumed job

        long a = first.currentTimeMillis();
        long b = later.currentTimeMillis();
        // 2 s of real time since the anchor are 8 s of clock time, in both.
        assertThat(a - anchor).isBetween(8_000L, 8_000L + 4 * 500L);
        assertThat(b - a).isBetween(0L, 4 * 100L);
    }

    @Test
    void shouldRejectNonPositiveFactors() {
        assertThatThrownBy(() -> new AcceleratedClock(START, 0))
                .hasMessage("factor must be positive, got 0.0");
    }
}
