package io.chorus.model.streams;

import io.chorus.model.Futures;
import io.chorus.model.cluster.HazelcastMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * One of the stream registry's sets of stream ids by key ({@link StampedIds}): a Hazelcast map of the cluster's
 * (with its backup copy), changed in place by {@link IdSetChange}s through Hazelcast's own asynchronous calls; or,
 * on a Vert.x that is not clustered on Hazelcast (unit tests), a local map changed the same way.
 */
abstract class StreamSets {
  /**
   * userId -> the user's answer slots (stream -> reserved at, epoch ms). Named apart from the map of JSON values the
   * slots lived in before (chorus.user-answer-slots), so nodes of the two versions never read each other's values.
   */
  static final String USER_SLOTS_MAP = "chorus.answer-slots";
  /** conversationId -> its streams (running or waiting on a worker); before, JSON in chorus.conversation-streams. */
  static final String CONVERSATION_STREAMS_MAP = "chorus.conversation-stream-ids";

  /** Applies the change where the set lives; the reply is the change's. */
  abstract Future<Object> change(String key, IdSetChange change);

  /** The set, or null when there is none. */
  abstract Future<StampedIds> get(String key);

  static StreamSets of(Vertx vertx, String map) {
    return HazelcastMap.instanceOf(vertx)
        .<StreamSets>map(hazelcast -> new OnHazelcast(new HazelcastMap<>(vertx, hazelcast, map)))
        .orElseGet(() -> new Local(vertx.sharedData().getLocalMap(map)));
  }

  private static final class OnHazelcast extends StreamSets {
    private final HazelcastMap<String, StampedIds> map;

    OnHazelcast(HazelcastMap<String, StampedIds> map) {
      this.map = map;
    }

    @Override
    Future<Object> change(String key, IdSetChange change) {
      return map.call(m -> m.submitToKey(key, change));
    }

    @Override
    Future<StampedIds> get(String key) {
      return map.call(m -> m.getAsync(key));
    }
  }

  private static final class Local extends StreamSets {
    private final LocalMap<String, StampedIds> map;

    Local(LocalMap<String, StampedIds> map) {
      this.map = map;
    }

    @Override
    Future<Object> change(String key, IdSetChange change) {
      return Futures.attempt(() -> {
        Object[] reply = {null};
        map.compute(key, (k, current) -> {
          IdSetChange.Outcome outcome = change.applyTo(current);
          reply[0] = outcome.reply();
          return outcome.next();
        });
        return Future.succeededFuture(reply[0]);
      });
    }

    @Override
    Future<StampedIds> get(String key) {
      return Futures.attempt(() -> Future.succeededFuture(map.get(key)));
    }
  }
}
