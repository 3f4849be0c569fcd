package io.chorus.bench;

/**
 * The text of a fanout message: {@code bench <run> <sender> <slot> <dueNanos>}. It carries everything a
 * receiver needs to account for the delivery (which sender and slot, so duplicates and losses show) and
 * the due time in this JVM's {@link System#nanoTime()} clock, so latency needs no clock agreement with
 * the server: sender and receivers are in the same process.
 */
public record MessageText(String run, int sender, long slot, long dueNanos) {
  private static final String PREFIX = "bench ";

  public String encode() {
    return PREFIX + run + " " + sender + " " + slot + " " + dueNanos;
  }

  /** The message, or null for any text that is not a bench message (someone else's, or malformed). */
  public static MessageText decode(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = text.substring(PREFIX.length()).split(" ");
    if (parts.length != 4) {
      return null;
    }
    try {
      return new MessageText(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
