package io.depthflow.sources.rest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAllowABurstThenOneRequestPerRefill() {
        TokenBucket bucket = new TokenBucket(new RateLimit(2, 3), 0);

        assertThat(bucket.tryAcquire(0)).isZero();
        assertThat(bucket.tryAcquire(0)).isZero();
        assertThat(bucket.tryAcquire(0)).isZero();
        assertThat(bucket.tryAcquire(0)).isEqualTo(SECOND / 2);
        assertThat(bucket.tryAcquire(SECOND / 4)).isEqualTo(SECOND / 4);
        assertThat(bucket.tryAcquire(SECOND / 2)).isZero();
        assertThat(bucket.tryAcquire(SECOND / 2)).isEqualTo(SECOND / 2);
    }

    @Test
    void shouldNotStoreMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(1, 2), 0);

        long later = 100 * SECOND;
        assertThat(bucket.tryAcquire(later)).isZero();
        assertThat(bucket.tryAcquire(later)).isZero();
        assertThat(bucket.tryAcquire(later)).isEqualTo(SECOND);
    }

    @Test
    void shouldHoldEveryRequestUntilTheRetryAfterInstant() {
        TokenBucket bucket = new TokenBucket(new RateLimit(10, 10), 0);

        bucket.pauseUntil(3 * SECOND);

        assertThat(bucket.tryAcquire(SECOND)).isEqualTo(2 * SECOND);
        assertThat(bucket.tryAcquire(3 * SECOND)).isZero();
        assertThat(bucket.tryAcquire(3 * SECOND)).isEqualTo(SECOND / 10);
    }
}
