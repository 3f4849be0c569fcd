package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LagTrackerTest {
  private static final long MS = 1_000_000;

  @Test
  void onTimeTicksAreNoLag() {
    LagTracker t = new LagTracker(10 * MS);
    for (int i = 0; i <= 10; i++) {
      t.tick(i * 10 * MS);
    }
    assertThat(t.lag().maxMs()).isZero();
    assertThat(t.lagged()).isFalse();
  }

  @Test
  void aLateTickIsLagAndPastTheLimitInvalidatesTheRun() {
    LagTracker t = new LagTracker(10 * MS);
    t.tick(0);
    t.tick(10 * MS);
    t.tick(90 * MS);
    assertThat(t.lag().maxMs()).isBetween(69.9, 70.1);
    assertThat(t.lagged()).isTrue();
  }
}
