package io.chorus.bench;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * The scenarios are orchestrated from the main thread (never an event loop), step by step: these block it
 * on futures, and run many requests with a bound on how many are in flight so set-up does not flood the
 * server it is about to measure.
 */
final class Await {
  private Await() {}

  static <T> T on(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code count} calls, at most {@code inFlight} at once; the results in index order; the first failure is thrown. */
  static <T> List<T> all(int count, int inFlight, long secondsEach, IntFunction<Future<T>> call) {
    Semaphore slots = new Semaphore(inFlight);
    List<Future<T>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Future<T> f = call.apply(i);
      f.onComplete(r -> slots.release());
      futures.add(f);
    }
    List<T> out = new ArrayList<>(count);
    for (Future<T> f : futures) {
      out.add(on(f, secondsEach + 60));
    }
    return out;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
