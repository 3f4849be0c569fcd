package io.chorus.model.limits;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SharedRateLimiter} over a {@link BucketStore}, taking grants of up to {@code grant} tokens at once. A
 * key's allowance on this node is what is left of its last grant; takes spend it without asking the store, and a
 * take that finds it empty asks for a new grant. Takes for a key that arrive while its grant is asked for wait for
 * that one answer instead of each asking: they share what it brings, and ask again while grants bring any; one
 * that brings none means the bucket has nothing to give or lend, so the rest are refused. An allowance unused
 * for {@link #IDLE_NANOS} is given back to the store, so tokens do not sit on a node the user has left. With a
 * grant of 1 every take asks the store (exact, and nothing is held here).
 */
final class GrantingLimiter extends SharedRateLimiter {
  private static final Logger log = LoggerFactory.getLogger(GrantingLimiter.class);
  static final long IDLE_NANOS = 1_000_000_000L;
  /** Past this many allowances held (then twice as many as a sweep left), a take first gives back the idle ones. */
  private static final int SWEEP_ABOVE = 10_000;

  private final BucketStore store;
  private final int grant;
  private final LongSupplier nanoClock;
  private final Map<String, Allowance> allowances = new HashMap<>();
  private int sweepAbove = SWEEP_ABOVE;

  private static final class Allowance {
    int tokens;
    long lastUsedNanos;
    /** The grant being asked for, while it is; completes after {@link #tokens} has what it brought. */
    Future<Integer> asking;
  }

  GrantingLimiter(BucketStore store, int grant, LongSupplier nanoClock) {
    if (grant < 1) {
      throw new IllegalArgumentException("a grant is at least 1 token");
    }
    this.store = store;
    this.grant = grant;
    this.nanoClock = nanoClock;
  }

  @Override
  public Future<Boolean> tryAcquire(String key) {
    if (grant == 1) {
      return store.take(key, 1).map(got -> got > 0);
    }
    if (allowances.size() > sweepAbove) {
      evictIdle();
      // Sweep again only once the map has doubled: many users active at once must not make every take a scan.
      sweepAbove = Math.max(SWEEP_ABOVE, allowances.size() * 2);
    }
    Allowance allowance = held(key);
    if (allowance != null && allowance.tokens > 0) {
      spend(key, allowance);
      return Future.succeededFuture(true);
    }
    if (allowance != null && allowance.asking != null) {
      return allowance.asking.compose(got -> afterGrant(key, allowance, got));
    }
    return ask(key);
  }

  private Future<Boolean> ask(String key) {
    Allowance allowance = allowances.computeIfAbsent(key, k -> new Allowance());
    Future<Integer> asking = store.take(key, grant).andThen(ar -> {
      allowance.asking = null;
      if (ar.succeeded()) {
        allowance.tokens += ar.result();
        allowance.lastUsedNanos = nanoClock.getAsLong();
      }
      forgetIfEmpty(key, allowance);
    });
    if (!asking.isComplete()) {
      allowance.asking = asking;
    }
    return asking.compose(got -> afterGrant(key, allowance, got));
  }

  /**
   * A take that waited for a grant: from what it brought, or from a new one if it brought any and is spent (a
   * short grant may be a token lent beyond empty, and the bucket may lend another). A grant of none means the
   * bucket has nothing left to give or lend: refused, as are the others that waited for it.
   */
  private Future<Boolean> afterGrant(String key, Allowance allowance, int got) {
    if (allowance.tokens > 0) {
      spend(key, allowance);
      return Future.succeededFuture(true);
    }
    return got > 0 ? tryAcquire(key) : Future.succeededFuture(false);
  }

  private void spend(String key, Allowance allowance) {
    allowance.tokens--;
    allowance.lastUsedNanos = nanoClock.getAsLong();
    forgetIfEmpty(key, allowance);
  }

  private void forgetIfEmpty(String key, Allowance allowance) {
    if (allowance.tokens == 0 && allowance.asking == null) {
      allowances.remove(key, allowance);
    }
  }

  /** The key's allowance, unless it sat unused too long: then it is given back and there is none. */
  private Allowance held(String key) {
    Allowance allowance = allowances.get(key);
    if (allowance != null && isIdle(allowance, nanoClock.getAsLong())) {
      allowances.remove(key);
      giveBack(key, allowance.tokens);
      return null;
    }
    return allowance;
  }

  private static boolean isIdle(Allowance allowance, long now) {
    return allowance.asking == null && now - allowance.lastUsedNanos > IDLE_NANOS;
  }

  @Override
  public void refund(String key) {
    Allowance allowance = grant == 1 ? null : allowances.get(key);
    if (allowance != null) {
      allowance.tokens++; // spent here again soon, or given back with the rest when idle
      return;
    }
    giveBack(key, 1);
  }

  @Override
  public Future<Boolean> hasToken(String key) {
    Allowance allowance = grant == 1 ? null : held(key);
    if (allowance != null && allowance.tokens > 0) {
      return Future.succeededFuture(true);
    }
    return store.count(key).map(tokens -> tokens >= 1);
  }

  @Override
  public void evictIdle() {
    long now = nanoClock.getAsLong();
    for (Iterator<Map.Entry<String, Allowance>> it = allowances.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Allowance> entry = it.next();
      if (isIdle(entry.getValue(), now)) {
        it.remove();
        giveBack(entry.getKey(), entry.getValue().tokens);
      }
    }
  }

  /** Number of keys this node holds an allowance for (tests). */
  int held() {
    return allowances.size();
  }

  private void giveBack(String key, int tokens) {
    if (tokens > 0) {
      store.giveBack(key, tokens).onFailure(err -> log.debug("tokens not given back for a limit: {}", err.toString()));
    }
  }
}
