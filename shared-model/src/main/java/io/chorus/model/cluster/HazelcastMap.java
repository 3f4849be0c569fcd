package io.chorus.model.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.chorus.model.Futures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A Hazelcast map of the cluster's, called through Hazelcast's own asynchronous operations (entry processors,
 * conditional writes) that Vert.x's cluster-wide maps do not offer. Each call completes on the caller's context
 * (the gateway's edge calls from a Vert.x of its own), handed straight from the Hazelcast thread that has the
 * outcome: through Hazelcast's default executor it would take one more thread hand-over (or, on one CPU, a new
 * thread) per call, which the stream path paid on every chunk. A throw becomes a failed future. The map is looked
 * up on first use (a proxy that stays valid while the instance lives).
 */
public final class HazelcastMap<K, V> {
  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String name;
  private IMap<K, V> map;

  public HazelcastMap(Vertx vertx, HazelcastInstance hazelcast, String name) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.name = name;
  }

  /**
   * The Hazelcast instance {@code vertx} is clustered on, or empty for a Vert.x that is not clustered (a unit
   * test's: callers then keep their state in this process). A Vert.x clustered on another cluster manager is refused:
   * Chorus's cluster-wide state (limits, claims, the stream registry) would silently become per node.
   */
  public static Optional<HazelcastInstance> instanceOf(Vertx vertx) {
    if (vertx instanceof VertxInternal internal && internal.clusterManager() instanceof HazelcastClusterManager hz) {
      return Optional.of(hz.getHazelcastInstance());
    }
    if (vertx.isClustered()) {
      throw new IllegalStateException("Chorus's cluster-wide state needs a Vert.x clustered on Hazelcast");
    }
    return Optional.empty();
  }

  public <T> Future<T> call(Function<IMap<K, V>, CompletionStage<T>> operation) {
    Context caller = Vertx.currentContext();
    Context context = caller != null ? caller : vertx.getOrCreateContext();
    return Futures.attempt(() -> {
      if (map == null) {
        map = hazelcast.getMap(name);
      }
      Promise<T> promise = Promise.promise();
      operation.apply(map).whenCompleteAsync((value, error) -> context.runOnContext(v -> {
        if (error != null) {
          promise.fail(error);
        } else {
          promise.complete(value);
        }
      }), Runnable::run);
      return promise.future();
    });
  }
}
