package io.chorus.model;

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

  @Test
  void perMinuteIsAMinutesWorthAtOnceThenAnEvenRefill() {
    RateLimiter limiter = RateLimiter.perMinute(6, clock::get);
    for (int i = 0; i < 6; i++) {
      assertThat(limiter.tryAcquire("alice")).isTrue();
    }
    assertThat(limiter.tryAcquire("alice")).isFalse();
    assertThat(limiter.tryAcquire("bob")).as("another key has a bucket of its own").isTrue();
    clock.addAndGet(9_000_000_000L);
    assertThat(limiter.tryAcquire("alice")).as("9 s is less than one take's worth (10 s)").isFalse();
    clock.addAndGet(1_000_000_000L);
    assertThat(limiter.tryAcquire("alice")).isTrue();
    assertThat(limiter.tryAcquire("alice")).isFalse();
  }

  @Test
  void manyKeysDoNotPileUp() {
    RateLimiter limiter = new RateLimiter(1, 1, clock::get);
    for (int i = 0; i < 10_001; i++) {
      limiter.tryAcquire("client-" + i);
    }
    clock.addAndGet(2_000_000_000L);
    limiter.tryAcquire("one more");
    assertThat(limiter.size()).as("full buckets forgotten once past 10,000 keys").isEqualTo(1);
  }
}
