package io.chorus.model.limits;

import io.vertx.core.Future;

/** Where one limit's buckets live for a {@link SharedRateLimiter}: the cluster's map, or a test's stand-in. */
interface BucketStore {
  /** Takes up to {@code want} of the key's tokens: how many it got. */
  Future<Integer> take(String key, int want);

  /** Gives back tokens taken and not used, never past the burst. */
  Future<Void> giveBack(String key, int tokens);

  /** How many whole tokens the key has, taking none. */
  Future<Integer> count(String key);
}
