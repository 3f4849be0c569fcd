package io.chorus.model.limits;

import com.hazelcast.core.HazelcastInstance;
import io.chorus.model.cluster.HazelcastMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keys claimed once for the whole cluster, each for a time (a socket ticket's first use, say): the first claim of
 * a key holds it until its time runs out, and every claim learns who holds it. On Hazelcast a map of the
 * cluster's, claimed by {@link ClaimOnce} where the entry lives, entries expiring by themselves; elsewhere (unit
 * tests) a map on this node, whose expired claims are swept once many are held. Memory follows the claims that
 * are still running either way. Outcomes complete on the caller's context; local ones at once.
 */
public abstract class SharedClaims {
  /** Claims {@code key} for {@code claimant} for {@code ttlMillis} unless held already: the holder after it. */
  public abstract Future<String> claim(String key, String claimant, long ttlMillis);

  /** Who holds {@code key}, or null when nobody does (never claimed, or run out). */
  public abstract Future<String> holder(String key);

  public static SharedClaims of(Vertx vertx, String mapName) {
    return HazelcastMap.instanceOf(vertx).<SharedClaims>map(hazelcast -> new OnHazelcast(vertx, hazelcast, mapName))
        .orElseGet(() -> local(System::currentTimeMillis));
  }

  public static SharedClaims local(LongSupplier epochMillis) {
    return new Local(epochMillis);
  }

  private static final class OnHazelcast extends SharedClaims {
    private final HazelcastMap<String, String> map;

    OnHazelcast(Vertx vertx, HazelcastInstance hazelcast, String mapName) {
      this.map = new HazelcastMap<>(vertx, hazelcast, mapName);
    }

    @Override
    public Future<String> claim(String key, String claimant, long ttlMillis) {
      return map.call(m -> m.submitToKey(key, new ClaimOnce(claimant, ttlMillis)));
    }

    @Override
    public Future<String> holder(String key) {
      return map.call(m -> m.getAsync(key));
    }
  }

  private static final class Local extends SharedClaims {
    /** Past this many claims held, those run out are forgotten (then past twice as many). */
    private static final int SWEEP_ABOVE = 10_000;

    private final LongSupplier epochMillis;
    private final Map<String, Held> claims = new HashMap<>();
    private int sweepAbove = SWEEP_ABOVE;

    private record Held(String claimant, long untilMillis) {}

    Local(LongSupplier epochMillis) {
      this.epochMillis = epochMillis;
    }

    @Override
    public Future<String> claim(String key, String claimant, long ttlMillis) {
      long now = epochMillis.getAsLong();
      if (claims.size() > sweepAbove) {
        claims.values().removeIf(held -> held.untilMillis() <= now);
        sweepAbove = Math.max(SWEEP_ABOVE, claims.size() * 2);
      }
      Held held = claims.get(key);
      if (held == null || held.untilMillis() <= now) {
        held = new Held(claimant, now + ttlMillis);
        claims.put(key, held);
      }
      return Future.succeededFuture(held.claimant());
    }

    @Override
    public Future<String> holder(String key) {
      Held held = claims.get(key);
      return Future.succeededFuture(held == null || held.untilMillis() <= epochMillis.getAsLong() ? null
          : held.claimant());
    }
  }
}
