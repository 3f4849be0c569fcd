package io.chorus.model.limits;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.chorus.model.Futures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One limit's buckets in the Hazelcast map {@code chorus.limits.<name>}, changed by {@link BucketChange}s where
 * each entry lives. Calls complete on the caller's context (the gateway's edge calls from its own Vert.x), handed
 * straight from the Hazelcast thread that has the outcome, as {@code StreamTexts} does and for the same reason: a
 * hand-over through Hazelcast's default executor costs a thread switch (or, on one CPU, a new thread) per call.
 */
final class HazelcastBuckets implements BucketStore {
  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String mapName;
  private final TokenBucket bucket;
  private IMap<String, BucketLevel> map;

  HazelcastBuckets(Vertx vertx, HazelcastInstance hazelcast, String mapName, TokenBucket bucket) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.mapName = mapName;
    this.bucket = bucket;
  }

  private <T> Future<T> on(Function<IMap<String, BucketLevel>, CompletionStage<T>> call) {
    Context caller = Vertx.currentContext();
    Context context = caller != null ? caller : vertx.getOrCreateContext();
    return Futures.attempt(() -> {
      if (map == null) {
        map = hazelcast.getMap(mapName); // a proxy that stays valid while the instance lives
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
  public Future<Integer> take(String key, int want) {
    return on(m -> m.submitToKey(key, BucketChange.take(bucket, want)));
  }

  @Override
  public Future<Void> giveBack(String key, int tokens) {
    return this.<Integer>on(m -> m.submitToKey(key, BucketChange.giveBack(bucket, tokens))).mapEmpty();
  }

  @Override
  public Future<Integer> count(String key) {
    return on(m -> m.submitToKey(key, BucketChange.count(bucket)));
  }
}
