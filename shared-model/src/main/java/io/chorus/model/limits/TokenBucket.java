package io.chorus.model.limits;

/**
 * The arithmetic of one limit's token buckets, kept apart from where a bucket lives so it can be tested with
 * any clock: a bucket holds up to {@code burst} tokens and refills at {@code perSecond}; a key with no bucket
 * stored is full. A take asks for up to {@code want} tokens and gets as many whole ones as there are (a grant
 * of several, {@link SharedRateLimiter}), so it never takes what is not there.
 */
public final class TokenBucket {
  private final double perSecond;
  private final int burst;

  public TokenBucket(double perSecond, int burst) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("a bucket needs a rate above 0 and a burst of at least 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
  }

  public double perSecond() {
    return perSecond;
  }

  public int burst() {
    return burst;
  }

  /**
   * The tokens at {@code nowMillis}: the stored level refilled for the time since, never past the burst. A clock
   * that went back (the bucket's partition moved to a member whose clock is behind) refills nothing.
   */
  public double tokensAt(BucketLevel stored, long nowMillis) {
    if (stored == null) {
      return burst;
    }
    double elapsedSeconds = Math.max(0, nowMillis - stored.atMillis()) / 1000.0;
    return Math.min(burst, stored.tokens() + elapsedSeconds * perSecond);
  }

  /** How many of {@code want} tokens a take gets from {@code tokens}: whole ones only, never more than there are. */
  public int grantable(double tokens, int want) {
    return (int) Math.max(0, Math.min(want, Math.floor(tokens)));
  }

  /** {@code tokens} plus {@code returned}, never past the burst. */
  public double givenBack(double tokens, int returned) {
    return Math.min(burst, tokens + returned);
  }

  /**
   * How long a bucket left with {@code tokens} takes to be full again, at least 1 ms: once it is, it behaves
   * exactly like no bucket at all, so its entry can expire then and memory follows the keys in use.
   */
  public long millisToFull(double tokens) {
    double missing = Math.max(0, burst - tokens);
    return Math.max(1, (long) Math.ceil(missing / perSecond * 1000));
  }

  public boolean isFull(double tokens) {
    return tokens >= burst;
  }
}
