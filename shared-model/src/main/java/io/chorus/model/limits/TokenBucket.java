package io.chorus.model.limits;

/**
 * The arithmetic of one limit's token buckets, kept apart from where a bucket lives so it can be tested with
 * any clock: a bucket holds up to {@code burst} tokens and refills at {@code perSecond}; a key with no bucket
 * stored is full. A take asks for up to {@code want} tokens and gets as many whole ones as there are (a grant
 * of several, {@link SharedRateLimiter}).
 *
 * <p>A bucket may lend up to {@code credit} tokens beyond empty, one take of one token at a time: with grants,
 * other nodes can hold up to a grant less one of a user's tokens unused while the user's burst, spread over the
 * nodes unevenly, runs out on this one; without credit a client sending exactly its burst would be refused. A
 * debt is repaid by the refill before new tokens are there, so whatever the number of nodes, the cluster never
 * accepts more than the burst plus the refill plus {@code credit}. A limit taken one token at a time has none.
 */
public final class TokenBucket {
  private final double perSecond;
  private final int burst;
  private final int credit;

  public TokenBucket(double perSecond, int burst) {
    this(perSecond, burst, 0);
  }

  public TokenBucket(double perSecond, int burst, int credit) {
    if (!(perSecond > 0) || burst < 1 || credit < 0) {
      throw new IllegalArgumentException("a bucket needs a rate above 0, a burst of at least 1 and no negative credit");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.credit = credit;
  }

  public double perSecond() {
    return perSecond;
  }

  public int burst() {
    return burst;
  }

  public int credit() {
    return credit;
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

  /**
   * How many of {@code want} tokens a take gets from {@code tokens}: whole ones, never more than there are; from a
   * bucket with less than one, one token lent while the debt stays within the credit.
   */
  public int grantable(double tokens, int want) {
    int whole = (int) Math.max(0, Math.min(want, Math.floor(tokens)));
    if (whole > 0 || want < 1) {
      return whole;
    }
    return tokens - 1 >= -credit ? 1 : 0;
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
