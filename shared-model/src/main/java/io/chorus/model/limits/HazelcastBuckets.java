package io.chorus.model.limits;

import com.hazelcast.core.HazelcastInstance;
import io.chorus.model.cluster.HazelcastMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One limit's buckets in the Hazelcast map {@code chorus.limits.<name>}, changed by {@link BucketChange}s where
 * each entry lives; calls complete on the caller's context ({@link HazelcastMap}).
 */
final class HazelcastBuckets implements BucketStore {
  private final HazelcastMap<String, BucketLevel> map;
  private final TokenBucket bucket;

  HazelcastBuckets(Vertx vertx, HazelcastInstance hazelcast, String mapName, TokenBucket bucket) {
    this.map = new HazelcastMap<>(vertx, hazelcast, mapName);
    this.bucket = bucket;
  }

  @Override
  public Future<Integer> take(String key, int want) {
    return map.call(m -> m.submitToKey(key, BucketChange.take(bucket, want)));
  }

  @Override
  public Future<Void> giveBack(String key, int tokens) {
    return map.<Integer>call(m -> m.submitToKey(key, BucketChange.giveBack(bucket, tokens))).mapEmpty();
  }

  @Override
  public Future<Integer> count(String key) {
    return map.call(m -> m.submitToKey(key, BucketChange.count(bucket)));
  }
}
