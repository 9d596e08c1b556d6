package io.depthflow.clickhouse.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackoffTest {

    private final RetryBackoff backoff = new RetryBackoff(1_000, 30_000);

    @Test
    void shouldDoubleFromTheInitialDelayUpToTheCapWithoutJitter() {
        // random 0: no jitter taken off
        assertThat(backoff.delayMs(1, 0)).isEqualTo(1_000);
        assertThat(backoff.delayMs(2, 0)).isEqualTo(2_000);
        assertThat(backoff.delayMs(5, 0)).isEqualTo(16_000);
        assertThat(backoff.delayMs(6, 0)).isEqualTo(30_000); // 32 s capped
        assertThat(backoff.delayMs(1_000_000, 0)).isEqualTo(30_000); // no overflow
    }

    @Test
    void shouldTakeOffAtMostAFifthAsJitter() {
        // random 0.5: 10% off; random just below 1: just under 20% off (16 s - 3199.99 ms,
        // truncated to 3199 ms)
        assertThat(backoff.delayMs(5, 0.5)).isEqualTo(14_400);
        assertThat(backoff.delayMs(9, 0.5)).isEqualTo(27_000);
        assertThat(backoff.delayMs(5, 0.999_999)).isEqualTo(12_801);
        assertThat(backoff.delayMs(9, 0.999_999)).isEqualTo(24_001);
    }
}
