package io.chorus.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A provider's limits per key, on a clock moved by hand. */
class ProviderLimiterTest {
  private long now = 1_000_000_000L;

  private ProviderLimiter limiter(int concurrent, int perMinute, int tokensPerMinute) {
    return new ProviderLimiter(new ProviderLimiter.Limits(concurrent, perMinute, tokensPerMinute), () -> now);
  }

  private void advanceMillis(long ms) {
    now += TimeUnit.MILLISECONDS.toNanos(ms);
  }

  @Test
  void concurrentRequestsAreHeldUntilOneEnds() {
    ProviderLimiter limiter = limiter(2, 0, 0);
    assertThat(limiter.tryStart()).isTrue();
    assertThat(limiter.tryStart()).isTrue();

    assertThat(limiter.tryStart()).isFalse();
    assertThat(limiter.waitMillis()).as("no timer helps").isEqualTo(ProviderLimiter.UNTIL_ONE_ENDS);
    advanceMillis(60_000);
    assertThat(limiter.tryStart()).isFalse();

    limiter.finished(100);
    assertThat(limiter.running()).isEqualTo(1);
    assertThat(limiter.tryStart()).isTrue();
  }

  @Test
  void requestsPerMinuteAllowAMinutesWorthThenRefillEvenly() {
    ProviderLimiter limiter = limiter(100, 60, 0);
    for (int i = 0; i < 60; i++) {
      assertThat(limiter.tryStart()).as("request %d of the minute", i + 1).isTrue();
      limiter.finished(0); // ended at once: only the rate holds the next back
    }
    assertThat(limiter.tryStart()).isFalse();
    assertThat(limiter.waitMillis()).isEqualTo(1_000); // 60 a minute: one a second

    advanceMillis(999);
    assertThat(limiter.tryStart()).isFalse();
    advanceMillis(1);
    assertThat(limiter.tryStart()).isTrue();
    assertThat(limiter.tryStart()).isFalse();
  }

  @Test
  void tokensPerMinuteAreChargedWhenAnAnswerEndsAndHoldRequestsUntilRefilled() {
    ProviderLimiter limiter = limiter(100, 0, 6_000);
    assertThat(limiter.tryStart()).isTrue();
    assertThat(limiter.tryStart()).as("nothing charged yet").isTrue();
    limiter.finished(5_000);
    assertThat(limiter.waitMillis()).isZero(); // 1,000 left
    limiter.finished(4_000); // overdrawn by 3,000

    assertThat(limiter.tryStart()).isFalse();
    // 3,001 tokens to refill at 100 a second
    assertThat(limiter.waitMillis()).isEqualTo(30_010);
    advanceMillis(30_000);
    assertThat(limiter.tryStart()).isFalse();
    advanceMillis(10);
    assertThat(limiter.tryStart()).isTrue();
  }

  @Test
  void theBudgetsNeverRefillBeyondAMinutesWorth() {
    ProviderLimiter limiter = limiter(100, 2, 0);
    advanceMillis(3_600_000);
    assertThat(limiter.tryStart()).isTrue();
    assertThat(limiter.tryStart()).isTrue();
    assertThat(limiter.tryStart()).isFalse();
  }

  @Test
  void anAbandonedStartGivesBackItsRequest() {
    ProviderLimiter limiter = limiter(1, 1, 0);
    assertThat(limiter.tryStart()).isTrue();
    limiter.abandon();

    assertThat(limiter.running()).isZero();
    assertThat(limiter.tryStart()).as("the minute's one request was never sent").isTrue();
  }

  @Test
  void zeroMeansNoRateLimit() {
    ProviderLimiter limiter = limiter(10_000, 0, 0);
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.tryStart()).isTrue();
    }
    assertThat(limiter.tryStart()).isFalse();
  }
}
