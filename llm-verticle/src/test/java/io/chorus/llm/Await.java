package io.chorus.llm;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/** Waits for a condition by checking it on a Vert.x timer; the caller awaits the future with a timeout. */
public final class Await {
  private Await() {}

  public static Future<Void> until(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> promise = Promise.promise();
    long[] timer = new long[1];
    timer[0] = vertx.setPeriodic(0, 10, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(timer[0]);
        promise.tryComplete();
      }
    });
    return promise.future();
  }
}
