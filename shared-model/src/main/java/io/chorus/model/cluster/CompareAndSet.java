package io.chorus.model.cluster;

import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;
import java.util.function.Function;

/**
 * The one compare-and-set loop over a cluster map (the maps have no transactions), for the LLM workers' stream
 * registry and the gateways' presence map: reads a key (null when absent), asks what to do with the value, and
 * writes only if the value is still the one read; otherwise someone else changed it meanwhile (two chat nodes
 * reserving for one user, a worker and a watchdog, two gateways marking one user) and it starts again from a
 * fresh read, so no concurrent change is lost.
 */
public final class CompareAndSet {
  private CompareAndSet() {}

  /**
   * What to do with the value read: keep it, or write {@code next} (null removes the key); {@code result} is
   * what the operation answers.
   */
  public record Swap<V, R>(boolean write, V next, R result) {
    public static <V, R> Swap<V, R> keep(R result) {
      return new Swap<>(false, null, result);
    }

    public static <V, R> Swap<V, R> write(V next, R result) {
      return new Swap<>(true, next, result);
    }
  }

  /** Applies {@code change} to {@code key}'s value, again from a fresh read each time another writer was first. */
  public static <K, V, R> Future<R> apply(AsyncMap<K, V> map, K key, Function<V, Future<Swap<V, R>>> change) {
    return map.get(key).compose(current -> change.apply(current).compose(swap -> {
      if (!swap.write()) {
        return Future.succeededFuture(swap.result());
      }
      Future<Boolean> written;
      if (current == null) {
        written = swap.next() == null ? Future.succeededFuture(true)
            : map.putIfAbsent(key, swap.next()).map(previous -> previous == null);
      } else {
        written = swap.next() == null ? map.removeIfPresent(key, current)
            : map.replaceIfPresent(key, current, swap.next());
      }
      return written.compose(done -> done ? Future.succeededFuture(swap.result()) : apply(map, key, change));
    }));
  }
}
