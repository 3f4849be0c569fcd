package io.chorus.bench;

/**
 * An open-loop send schedule: slot n of a sender is due at {@code start + offset + n * period}, whatever
 * happened to earlier sends. A sender that wakes late sends every slot that is due at once, so a slow
 * server (or a slow load tool) cannot quietly lower the offered rate, and latency is measured from the
 * slot's due time (no coordinated omission).
 */
public final class Schedule {
  private final long startNanos;
  private final long periodNanos;
  private final long endNanos;
  private long next;

  /**
   * @param startNanos the first slot's due time (the run start plus this sender's offset)
   * @param endNanos no slot is due at or after this time
   */
  public Schedule(long startNanos, long periodNanos, long endNanos) {
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("period must be positive");
    }
    this.startNanos = startNanos;
    this.periodNanos = periodNanos;
    this.endNanos = endNanos;
  }

  /** Spreads {@code senders} evenly over one period so they do not all send in the same instant. */
  public static long offset(int sender, int senders, long periodNanos) {
    return senders <= 0 ? 0 : (long) ((double) periodNanos * sender / senders);
  }

  public long dueTime(long slot) {
    return startNanos + slot * periodNanos;
  }

  /** The next slot not handed out yet. */
  public long nextSlot() {
    return next;
  }

  /** True once every slot before the end has been handed out. */
  public boolean finished() {
    return dueTime(next) >= endNanos;
  }

  /**
   * Hands out the slots due by {@code nowNanos} that were not handed out yet: returns how many (the
   * caller sends slots {@code nextSlot()-n .. nextSlot()-1}).
   */
  public int takeDue(long nowNanos) {
    int taken = 0;
    while (!finished() && dueTime(next) <= nowNanos) {
      next++;
      taken++;
    }
    return taken;
  }

  /** Nanoseconds from {@code nowNanos} to the next due slot (0 when it is already due), or -1 when finished. */
  public long delayToNext(long nowNanos) {
    if (finished()) {
      return -1;
    }
    return Math.max(0, dueTime(next) - nowNanos);
  }

  /** Slots in the whole schedule. */
  public long totalSlots() {
    if (endNanos <= startNanos) {
      return 0;
    }
    return (endNanos - startNanos + periodNanos - 1) / periodNanos;
  }
}
