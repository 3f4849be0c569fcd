package io.chorus.chat;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a user id). Used on one event loop, so it is not synchronised. Idle buckets
 * are dropped by {@link #evictIdle()} so the map does not grow with every user ever seen.
 */
final class RateLimiter {
  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new HashMap<>();

  private static final class Bucket {
    double tokens;
    long lastRefillNanos;
  }

  RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  /** Takes a token for the key; false when the key is over its rate. */
  boolean tryAcquire(String key) {
    long now = nanoClock.getAsLong();
    Bucket bucket = buckets.computeIfAbsent(key, k -> {
      Bucket b = new Bucket();
      b.tokens = burst;
      b.lastRefillNanos = now;
      return b;
    });
    refill(bucket, now);
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets buckets that have refilled completely: they behave exactly like new ones. */
  void evictIdle() {
    long now = nanoClock.getAsLong();
    buckets.values().removeIf(b -> {
      refill(b, now);
      return b.tokens >= burst;
    });
  }

  int size() {
    return buckets.size();
  }

  private void refill(Bucket bucket, long now) {
    double elapsedSeconds = (now - bucket.lastRefillNanos) / 1e9;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * perSecond);
    bucket.lastRefillNanos = now;
  }
}
