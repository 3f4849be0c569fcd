package io.chorus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UploadRateLimiterTest {
  private final AtomicLong now = new AtomicLong();
  private final UploadRateLimiter limiter = new UploadRateLimiter(6, now::get);

  @Test
  void aBurstUpToTheLimitThenRefusals() {
    for (int i = 0; i < 6; i++) {
      assertThat(limiter.tryAcquire("alice")).isTrue();
    }
    assertThat(limiter.tryAcquire("alice")).isFalse();
    assertThat(limiter.tryAcquire("bob")).as("another user has a bucket of their own").isTrue();
  }

  @Test
  void refillsEvenlyOverAMinute() {
    for (int i = 0; i < 6; i++) {
      limiter.tryAcquire("alice");
    }
    now.addAndGet(TimeUnit.SECONDS.toNanos(9));
    assertThat(limiter.tryAcquire("alice")).as("9 s is less than one upload's worth (10 s)").isFalse();
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(limiter.tryAcquire("alice")).isTrue();
    assertThat(limiter.tryAcquire("alice")).isFalse();
    now.addAndGet(TimeUnit.MINUTES.toNanos(10));
    for (int i = 0; i < 6; i++) {
      assertThat(limiter.tryAcquire("alice")).as("never more than a minute's worth").isTrue();
    }
    assertThat(limiter.tryAcquire("alice")).isFalse();
  }
}
