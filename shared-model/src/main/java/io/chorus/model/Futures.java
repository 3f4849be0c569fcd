package io.chorus.model;

import io.vertx.core.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/** Small future helpers the services share. */
public final class Futures {
  private Futures() {}

  /**
   * The call's future, or a failed one when the call throws instead of returning it (a Hazelcast map
   * can, while members come and go): callers then handle one failure path, and a throw never unwinds
   * into code that did not expect it, such as an HTTP response handler in the middle of a buffer.
   */
  public static <T> Future<T> attempt(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@code handler} applied as {@link #attempt} does: a throw becomes its failed future. */
  public static <Q, R> Future<R> attempt(Function<Q, Future<R>> handler, Q request) {
    return attempt(() -> handler.apply(request));
  }
}
