package io.chorus.model;

import io.vertx.core.Vertx;

/**
 * Runs a task later; the returned action cancels it (and does nothing once the task ran). The one timer
 * seam of the services: code that waits takes a {@code Timers}, so its tests fire time by hand.
 */
@FunctionalInterface
public interface Timers {
  Runnable schedule(long delayMs, Runnable task);

  /** Vert.x timers on the caller's context; a delay under 1 ms (Vert.x refuses 0) waits 1 ms. */
  static Timers of(Vertx vertx) {
    return (delayMs, task) -> {
      long id = vertx.setTimer(Math.max(1, delayMs), t -> task.run());
      return () -> vertx.cancelTimer(id);
    };
  }
}
