package io.chorus.gateway;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-user upload rate limit on this gateway ({@code UPLOAD_RATE_PER_MINUTE}): a token bucket per user
 * that holds a minute's worth and refills evenly, so a burst up to the limit is fine and a steady stream
 * above it gets 429. Buckets that are full again are forgotten, so memory follows active uploaders.
 * Used from the edge event loop only.
 */
final class UploadRateLimiter {
  private static final long MINUTE_NANOS = 60_000_000_000L;
  private static final int FORGET_ABOVE = 10_000;

  private final int perMinute;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new HashMap<>();

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  UploadRateLimiter(int perMinute, LongSupplier nanoClock) {
    this.perMinute = perMinute;
    this.nanoClock = nanoClock;
  }

  UploadRateLimiter(int perMinute) {
    this(perMinute, System::nanoTime);
  }

  /** Takes one upload from the user's bucket; false when it is empty. */
  boolean tryAcquire(String userId) {
    long now = nanoClock.getAsLong();
    if (buckets.size() > FORGET_ABOVE) {
      forgetFull(now);
    }
    Bucket bucket = buckets.computeIfAbsent(userId, id -> new Bucket(perMinute, now));
    refill(bucket, now);
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }

  private void refill(Bucket bucket, long now) {
    bucket.tokens = Math.min(perMinute, bucket.tokens + (double) (now - bucket.at) * perMinute / MINUTE_NANOS);
    bucket.at = now;
  }

  private void forgetFull(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket bucket = it.next();
      refill(bucket, now);
      if (bucket.tokens >= perMinute) {
        it.remove();
      }
    }
  }
}
