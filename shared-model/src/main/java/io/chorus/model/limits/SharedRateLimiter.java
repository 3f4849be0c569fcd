package io.chorus.model.limits;

import io.chorus.model.RateLimiter;
import io.chorus.model.cluster.HazelcastMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a user id, a client address) that holds across the cluster: whichever node a request
 * reaches, it takes from the one bucket of its key, a burst up to {@code burst} then {@code perSecond}. On a Vert.x
 * clustered on Hazelcast the buckets live in the map {@code chorus.limits.<name>}, each changed where it lives
 * ({@link BucketChange}); elsewhere (unit tests, a plain Vert.x) it is this node's {@link RateLimiter}.
 *
 * <p>A limit on a hot path can take a <em>grant</em> of up to G tokens from its cluster bucket at once and spend
 * them on this node without asking again ({@link GrantingLimiter}); G = 1 asks the cluster for every take, which
 * is exact. The cluster's bucket lends at most G - 1 tokens beyond empty ({@link TokenBucket}'s credit), so all
 * nodes together never accept more than the burst plus what refilled plus G - 1, and a user whose burst reaches
 * two nodes unevenly is not refused while the other node holds their last tokens. With more nodes a burst sent all
 * at once can still find up to (nodes - 2) x (G - 1) of its tokens on nodes it no longer reaches, until they are
 * given back (after about a second unused, {@link #evictIdle()}) or for good if such a node stops first.
 *
 * <p>Used on one event loop (the verticle's that made it), so not synchronised; outcomes complete on the caller's
 * context. A failure to reach the cluster fails the future: callers refuse with 503 rather than let it through.
 */
public abstract class SharedRateLimiter {
  /** The cluster maps of the limits: {@code chorus.limits.<name>} (no backups: see ClusterNode). */
  public static final String MAP_PREFIX = "chorus.limits.";

  /** Takes a token for the key: false when the key is over its rate. */
  public abstract Future<Boolean> tryAcquire(String key);

  /** Gives back a token taken for something then refused for another reason (never past the burst); best effort. */
  public abstract void refund(String key);

  /** Whether the key has a token now, without taking it. */
  public abstract Future<Boolean> hasToken(String key);

  /** Forgets what this node holds for keys no longer active; run about every second (grants wait no longer). */
  public abstract void evictIdle();

  /** Makes the limits of a service: each named, with its rate, burst and grant size. */
  @FunctionalInterface
  public interface Factory {
    SharedRateLimiter create(String name, double perSecond, int burst, int grant);

    /** {@code perMinute} at once, then refilling evenly over the minute. */
    default SharedRateLimiter perMinute(String name, int perMinute, int grant) {
      return create(name, perMinute / 60.0, perMinute, grant);
    }

    /** {@code perHour} at once, then refilling evenly over the hour. */
    default SharedRateLimiter perHour(String name, int perHour, int grant) {
      return create(name, perHour / 3600.0, perHour, grant);
    }
  }

  /** On the cluster's Hazelcast when {@code vertx} is clustered on it, else {@link #local} with the system clock. */
  public static Factory of(Vertx vertx) {
    return HazelcastMap.instanceOf(vertx).<Factory>map(hazelcast -> (name, perSecond, burst, grant) ->
        new GrantingLimiter(new HazelcastBuckets(vertx, hazelcast, MAP_PREFIX + name,
            new TokenBucket(perSecond, burst, grant - 1)), grant, System::nanoTime))
        .orElseGet(() -> local(System::nanoTime));
  }

  /** This node's buckets only (grants mean nothing there); futures complete at once. */
  public static Factory local(LongSupplier nanoClock) {
    return (name, perSecond, burst, grant) -> new Local(new RateLimiter(perSecond, burst, nanoClock));
  }

  private static final class Local extends SharedRateLimiter {
    private final RateLimiter limiter;

    Local(RateLimiter limiter) {
      this.limiter = limiter;
    }

    @Override
    public Future<Boolean> tryAcquire(String key) {
      return Future.succeededFuture(limiter.tryAcquire(key));
    }

    @Override
    public void refund(String key) {
      limiter.refund(key);
    }

    @Override
    public Future<Boolean> hasToken(String key) {
      return Future.succeededFuture(limiter.hasToken(key));
    }

    @Override
    public void evictIdle() {
      limiter.evictIdle();
    }
  }
}
