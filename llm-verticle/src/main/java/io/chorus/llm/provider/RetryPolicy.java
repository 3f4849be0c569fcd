package io.chorus.llm.provider;

import io.chorus.llm.LlmConfig;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently {@link RetryingProvider} tries again: up to {@code retries} more requests,
 * the n-th one after {@code backoffMs * 2^(n-1)} (250, 500, 1000 ms by default) with a jitter of ±25 %,
 * so that workers which failed together do not all come back at the same moment; one wait is at most
 * {@link #MAX_DELAY_MS}.
 */
public final class RetryPolicy {
  public static final long MAX_DELAY_MS = 60_000;

  private final int retries;
  private final long backoffMs;
  private final DoubleSupplier random;

  /** {@code random} gives values in [0, 1); tests pass a constant. */
  public RetryPolicy(int retries, long backoffMs, DoubleSupplier random) {
    if (retries < 0 || backoffMs < 0) {
      throw new IllegalArgumentException("retries and backoffMs must not be negative");
    }
    this.retries = retries;
    this.backoffMs = backoffMs;
    this.random = random;
  }

  public static RetryPolicy from(LlmConfig config) {
    return new RetryPolicy(config.retries(), config.retryBackoffMs(), () -> ThreadLocalRandom.current().nextDouble());
  }

  public int retries() {
    return retries;
  }

  /** The wait before retry number {@code retry} (1 for the first retry). */
  public long delayMs(int retry) {
    double base = Math.min(MAX_DELAY_MS, backoffMs * Math.pow(2, Math.max(0, retry - 1)));
    double jittered = base * (0.75 + 0.5 * random.getAsDouble());
    return Math.min(MAX_DELAY_MS, Math.round(jittered));
  }

  @Override
  public String toString() {
    return retries + " retries from " + backoffMs + " ms";
  }
}
