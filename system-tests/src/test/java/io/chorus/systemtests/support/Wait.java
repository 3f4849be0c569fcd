package io.chorus.systemtests.support;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Blocks the test thread on a future with a bound; a timeout fails the test instead of hanging it. */
public final class Wait {
  private Wait() {}

  /** Polls a condition every 10 ms until it holds; fails the test after {@code seconds}. */
  public static void until(BooleanSupplier condition, long seconds) {
    until("condition", Duration.ofSeconds(seconds), condition);
  }

  /**
   * Polls, every 10 ms, a condition on state the test cannot subscribe to (files on disk, rows, a
   * process); fails the test naming {@code what} after {@code timeout}.
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  public static <T> T on(Future<T> future, long seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("nothing after " + seconds + " s", e);
    }
  }
}
