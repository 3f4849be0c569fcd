package io.chorus.model.streams;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.chorus.model.Futures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Where the streams' {@link StreamText}s live: a Hazelcast map of the cluster's (with its backup copy, so a
 * text survives its worker), changed in place by {@link TextChange}s through Hazelcast's own asynchronous
 * calls; or, on a Vert.x that is not clustered on Hazelcast (unit tests), a local map. Vert.x's cluster-wide
 * maps offer neither an in-place change nor an asynchronous conditional write (their {@code replace} blocks
 * a worker thread), which made every chunk cost a full copy of the text so far and four thread hand-overs.
 */
abstract class StreamTexts {
  static final String MAP = "chorus.stream-texts";

  /** The first text of a stream (none yet). */
  abstract Future<Void> create(String streamId, int promptChars);

  /** Applies the change where the text lives; its outcome is {@link TextChange}'s. */
  abstract Future<Integer> change(String streamId, TextChange change);

  /** The text, or null when the stream has none (never registered, or claimed). */
  abstract Future<StreamText> get(String streamId);

  /** Removes the text and returns it, or null when there was none: whoever gets it has claimed the stream. */
  abstract Future<StreamText> take(String streamId);

  static StreamTexts of(Vertx vertx) {
    if (vertx instanceof VertxInternal internal && internal.clusterManager() instanceof HazelcastClusterManager hz) {
      return new OnHazelcast(vertx, hz.getHazelcastInstance());
    }
    return new Local(vertx.sharedData().getLocalMap(MAP));
  }

  private static final class OnHazelcast extends StreamTexts {
    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private IMap<String, StreamText> map;

    OnHazelcast(Vertx vertx, HazelcastInstance hazelcast) {
      this.vertx = vertx;
      this.hazelcast = hazelcast;
    }

    /**
     * Runs the call and completes on the caller's context, as Vert.x's own map calls do, but hands the
     * outcome straight from the Hazelcast thread that has it to that context: through Hazelcast's default
     * executor it would take one more thread hand-over (or, on one CPU, a new thread) for every chunk.
     * The map is looked up once, on first use (a proxy that stays valid while the instance lives).
     */
    private <T> Future<T> on(java.util.function.Function<IMap<String, StreamText>, CompletionStage<T>> call) {
      Context context = vertx.getOrCreateContext();
      return Futures.attempt(() -> {
        if (map == null) {
          map = hazelcast.getMap(MAP);
        }
        Promise<T> promise = Promise.promise();
        call.apply(map).whenCompleteAsync((value, error) -> context.runOnContext(v -> {
          if (error != null) {
            promise.fail(error);
          } else {
            promise.complete(value);
          }
        }), Runnable::run);
        return promise.future();
      });
    }

    @Override
    Future<Void> create(String streamId, int promptChars) {
      return on(m -> m.setAsync(streamId, new StreamText(-1, "", promptChars)));
    }

    @Override
    Future<Integer> change(String streamId, TextChange change) {
      return on(m -> m.submitToKey(streamId, change));
    }

    @Override
    Future<StreamText> get(String streamId) {
      return on(m -> m.getAsync(streamId));
    }

    @Override
    Future<StreamText> take(String streamId) {
      return on(m -> m.removeAsync(streamId));
    }
  }

  private static final class Local extends StreamTexts {
    private final LocalMap<String, StreamText> map;

    Local(LocalMap<String, StreamText> map) {
      this.map = map;
    }

    private static <T> Future<T> now(Supplier<T> call) {
      return Futures.attempt(() -> Future.succeededFuture(call.get()));
    }

    @Override
    Future<Void> create(String streamId, int promptChars) {
      return now(() -> {
        map.put(streamId, new StreamText(-1, "", promptChars));
        return null;
      });
    }

    @Override
    Future<Integer> change(String streamId, TextChange change) {
      return now(() -> {
        int[] outcome = {TextChange.ABSENT};
        map.computeIfPresent(streamId, (id, current) -> {
          outcome[0] = change.outcome(current);
          return outcome[0] == TextChange.APPLIED ? change.applyTo(current) : current;
        });
        return outcome[0];
      });
    }

    @Override
    Future<StreamText> get(String streamId) {
      return now(() -> map.get(streamId));
    }

    @Override
    Future<StreamText> take(String streamId) {
      return now(() -> map.remove(streamId));
    }
  }
}
