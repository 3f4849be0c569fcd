package io.chorus.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong clock = new AtomicLong();

  @Test
  void allowsABurstThenRefillsAtTheRate() {
    RateLimiter limiter = new RateLimiter(2, 3, clock::get);
    assertThat(limiter.tryAcquire("u")).isTrue();
    assertThat(limiter.tryAcquire("u")).isTrue();
    assertThat(limiter.tryAcquire("u")).isTrue();
    assertThat(limiter.tryAcquire("u")).isFalse();

    clock.addAndGet(500_000_000L); // half a second at 2/s = one token
    assertThat(limiter.tryAcquire("u")).isTrue();
    assertThat(limiter.tryAcquire("u")).isFalse();
  }

  @Test
  void keysAreIndependentAndIdleOnesAreForgotten() {
    RateLimiter limiter = new RateLimiter(1, 1, clock::get);
    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("b")).isTrue();
    assertThat(limiter.tryAcquire("a")).isFalse();
    assertThat(limiter.size()).isEqualTo(2);

    clock.addAndGet(5_000_000_000L);
    limiter.evictIdle();
    assertThat(limiter.size()).isZero();
  }
}
