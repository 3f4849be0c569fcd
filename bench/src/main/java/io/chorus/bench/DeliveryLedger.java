package io.chorus.bench;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Accounts for a fanout run: every sent message the server did not refuse should reach each of the K
 * members of its room (the sender's own socket included) exactly once and in {@code seq} order. A refused
 * send (429/503 under overload) is the server shedding load as it should, not a loss, so it is counted
 * as failed and expects nothing. Lost = expected - distinct deliveries; a delivery seen before is a duplicate; a {@code seq} at or below the receiver's last one
 * is out of order. Called from several event loops, hence synchronized (a few hundred thousand calls per
 * second at most, far from contention trouble).
 */
public final class DeliveryLedger {
  private final int roomSize;
  /** (receiver, sender) -> slots received. */
  private final Map<Long, BitSet> seen = new HashMap<>();
  private final Map<Integer, Long> lastSeq = new HashMap<>();
  private long sent;
  private long acked;
  private long failed;
  private long delivered;
  private long duplicates;
  private long outOfOrder;
  private long seqGaps;

  public enum Outcome { FIRST, DUPLICATE }

  public DeliveryLedger(int roomSize) {
    this.roomSize = roomSize;
  }

  public synchronized void sent() {
    sent++;
  }

  public synchronized void acked() {
    acked++;
  }

  /** A send answered with an {@code err} frame (or never written). */
  public synchronized void failed() {
    failed++;
  }

  /** One {@code new_message} of this run reaching {@code receiver}. */
  public synchronized Outcome received(int receiver, int sender, long slot, long seq) {
    Long last = lastSeq.get(receiver);
    if (last != null && seq <= last) {
      outOfOrder++;
    } else {
      if (last != null && seq > last + 1) {
        seqGaps++;
      }
      lastSeq.put(receiver, seq);
    }
    BitSet slots = seen.computeIfAbsent(((long) receiver << 32) | (sender & 0xffffffffL), k -> new BitSet());
    if (slots.get((int) slot)) {
      duplicates++;
      return Outcome.DUPLICATE;
    }
    slots.set((int) slot);
    delivered++;
    return Outcome.FIRST;
  }

  public synchronized long expected() {
    return (sent - failed) * roomSize;
  }

  public synchronized Totals totals() {
    return new Totals(sent, acked, failed, expected(), delivered, Math.max(0, expected() - delivered), duplicates,
        outOfOrder, seqGaps);
  }

  /**
   * @param seqGaps jumps of more than one in a receiver's {@code seq}: events of the room this run did not
   *     count (another client's, or a message sent before the receiver joined); informative only
   */
  public record Totals(long sent, long acked, long failed, long expected, long delivered, long lost, long duplicates,
      long outOfOrder, long seqGaps) {}
}
