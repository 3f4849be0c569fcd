package io.chorus.model;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a user id, a client address): a burst up to {@code burst}, then {@code perSecond}.
 * Used on one event loop, so it is not synchronised. Buckets that have refilled completely behave exactly like
 * new ones, so they are dropped ({@link #evictIdle()}, also by itself once many keys are held): memory follows
 * the keys that are active, not every key ever seen, whatever a client sends.
 */
public final class RateLimiter {
  /** Past this many keys, a take first forgets the full buckets. */
  private static final int FORGET_ABOVE = 10_000;

  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new HashMap<>();
  private int forgetAbove = FORGET_ABOVE;

  private static final class Bucket {
    double tokens;
    long lastRefillNanos;
  }

  public RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  /** {@code perMinute} at once, then refilling evenly over the minute. */
  public static RateLimiter perMinute(int perMinute, LongSupplier nanoClock) {
    return new RateLimiter(perMinute / 60.0, perMinute, nanoClock);
  }

  /** Whether the key has a token now, without taking it. */
  public boolean hasToken(String key) {
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      return true;
    }
    refill(bucket, nanoClock.getAsLong());
    return bucket.tokens >= 1;
  }

  /** Gives back a token taken for something that was then refused for another reason (never past the burst). */
  public void refund(String key) {
    Bucket bucket = buckets.get(key);
    if (bucket != null) {
      bucket.tokens = Math.min(burst, bucket.tokens + 1);
    }
  }

  /** Takes a token for the key; false when the key is over its rate. */
  public boolean tryAcquire(String key) {
    long now = nanoClock.getAsLong();
    if (buckets.size() > forgetAbove) {
      evictIdle();
      // Sweep again only once the map has doubled, so many active keys do not make every take a full scan.
      forgetAbove = Math.max(FORGET_ABOVE, buckets.size() * 2);
    }
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
  public void evictIdle() {
    long now = nanoClock.getAsLong();
    buckets.values().removeIf(b -> {
      refill(b, now);
      return b.tokens >= burst;
    });
  }

  public int size() {
    return buckets.size();
  }

  private void refill(Bucket bucket, long now) {
    double elapsedSeconds = (now - bucket.lastRefillNanos) / 1e9;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * perSecond);
    bucket.lastRefillNanos = now;
  }
}
