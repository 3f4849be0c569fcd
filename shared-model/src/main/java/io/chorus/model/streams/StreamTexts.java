package io.chorus.model.streams;

import com.hazelcast.core.HazelcastInstance;
import io.chorus.model.Futures;
import io.chorus.model.cluster.HazelcastMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
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
    return HazelcastMap.instanceOf(vertx).<StreamTexts>map(hazelcast -> new OnHazelcast(vertx, hazelcast))
        .orElseGet(() -> new Local(vertx.sharedData().getLocalMap(MAP)));
  }

  private static final class OnHazelcast extends StreamTexts {
    private final HazelcastMap<String, StreamText> map;

    OnHazelcast(Vertx vertx, HazelcastInstance hazelcast) {
      this.map = new HazelcastMap<>(vertx, hazelcast, MAP);
    }

    @Override
    Future<Void> create(String streamId, int promptChars) {
      return map.call(m -> m.setAsync(streamId, new StreamText(-1, "", promptChars)));
    }

    @Override
    Future<Integer> change(String streamId, TextChange change) {
      return map.call(m -> m.submitToKey(streamId, change));
    }

    @Override
    Future<StreamText> get(String streamId) {
      return map.call(m -> m.getAsync(streamId));
    }

    @Override
    Future<StreamText> take(String streamId) {
      return map.call(m -> m.removeAsync(streamId));
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
