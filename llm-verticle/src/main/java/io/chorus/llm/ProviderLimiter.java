package io.chorus.llm;

import java.util.function.LongSupplier;

/**
 * What a provider allows one assistant profile (one key): requests at once, requests per minute and tokens
 * per minute. A non-blocking worker spends next to nothing on an answer that waits for its next token, so
 * the limits that matter are the provider's, and this is where a worker keeps to them; an answer that may
 * not start yet waits in the worker's queue instead of being sent to be refused with the provider's 429.
 *
 * <p>Requests per minute are a token bucket of a minute's worth, refilled evenly (as providers count them).
 * Tokens per minute cannot be known before an answer ends, so they are charged when it ends (the provider's
 * reported usage, else the estimate) and a new request starts only while the last minute's budget is not
 * spent: a budget overdrawn by long answers holds further requests until it has refilled.
 *
 * <p>Why not {@link io.chorus.model.RateLimiter}, the services' token bucket: that one answers yes or no for
 * one token per key and forgets full buckets, which is what a per-user or per-address limit needs. This one
 * holds one budget, not a map of them, and needs what that one lacks: a charge of many tokens after the fact
 * that may overdraw the budget (tokens per minute are known only when an answer ends), how long until a
 * request may start (the worker's queue sets a timer for it), and a count of requests at once. Adding those
 * to RateLimiter would give its every user a charge, a wait and an overdraft they must not use; sharing only
 * the refill arithmetic (two lines) would not be worth the coupling.
 *
 * <p>Confined to the worker's context; not thread-safe.
 */
public final class ProviderLimiter {
  /** What {@link #waitMillis()} answers when only an answer that ends can make room (no timer helps). */
  static final long UNTIL_ONE_ENDS = Long.MAX_VALUE;

  /**
   * @param concurrentRequests requests to the provider at once (at least 1)
   * @param requestsPerMinute new requests a minute, 0 for no such limit
   * @param tokensPerMinute prompt and answer tokens a minute, 0 for no such limit
   */
  public record Limits(int concurrentRequests, int requestsPerMinute, int tokensPerMinute) {
    /** The default: what one worker can hold, with no rate limit of the provider's known. */
    public static final int DEFAULT_CONCURRENT_REQUESTS = 1024;

    static Limits unlimited(int concurrentRequests) {
      return new Limits(concurrentRequests, 0, 0);
    }

    @Override
    public String toString() {
      return concurrentRequests + " at once"
          + (requestsPerMinute > 0 ? ", " + requestsPerMinute + " requests/min" : "")
          + (tokensPerMinute > 0 ? ", " + tokensPerMinute + " tokens/min" : "");
    }
  }

  private final Limits limits;
  private final LongSupplier nanoClock;
  private int running;
  private double requestsLeft;
  private double tokensLeft;
  private long refilledAtNanos;

  ProviderLimiter(Limits limits, LongSupplier nanoClock) {
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.requestsLeft = limits.requestsPerMinute();
    this.tokensLeft = limits.tokensPerMinute();
    this.refilledAtNanos = nanoClock.getAsLong();
  }

  static ProviderLimiter of(Limits limits) {
    return new ProviderLimiter(limits, System::nanoTime);
  }

  Limits limits() {
    return limits;
  }

  /**
   * 0 when a request may start now; otherwise how long until one may as far as the rates go, or
   * {@link #UNTIL_ONE_ENDS} when every concurrent request is taken.
   */
  long waitMillis() {
    if (running >= limits.concurrentRequests()) {
      return UNTIL_ONE_ENDS;
    }
    refill();
    long wait = 0;
    if (limits.requestsPerMinute() > 0 && requestsLeft < 1) {
      wait = millisToRefill(1 - requestsLeft, limits.requestsPerMinute());
    }
    if (limits.tokensPerMinute() > 0 && tokensLeft < 1) {
      wait = Math.max(wait, millisToRefill(1 - tokensLeft, limits.tokensPerMinute()));
    }
    return wait;
  }

  /** Takes a concurrent request and a request of the minute's; false (nothing taken) when they are not free. */
  boolean tryStart() {
    if (waitMillis() != 0) {
      return false;
    }
    running++;
    if (limits.requestsPerMinute() > 0) {
      requestsLeft -= 1;
    }
    return true;
  }

  /** Gives back what {@link #tryStart()} took for a request that was never sent (its stream did not register). */
  void abandon() {
    running--;
    if (limits.requestsPerMinute() > 0) {
      requestsLeft = Math.min(limits.requestsPerMinute(), requestsLeft + 1);
    }
  }

  /** A request has ended after using {@code tokens} (prompt and answer). */
  void finished(long tokens) {
    running--;
    if (limits.tokensPerMinute() > 0) {
      refill();
      tokensLeft -= tokens;
    }
  }

  int running() {
    return running;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    double minutes = (now - refilledAtNanos) / 60e9;
    refilledAtNanos = now;
    if (minutes <= 0) {
      return;
    }
    requestsLeft = Math.min(limits.requestsPerMinute(), requestsLeft + minutes * limits.requestsPerMinute());
    tokensLeft = Math.min(limits.tokensPerMinute(), tokensLeft + minutes * limits.tokensPerMinute());
  }

  private static long millisToRefill(double missing, int perMinute) {
    return Math.max(1, (long) Math.ceil(missing * 60_000.0 / perMinute));
  }
}
