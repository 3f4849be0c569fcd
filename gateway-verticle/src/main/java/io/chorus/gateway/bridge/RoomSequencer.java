package io.chorus.gateway.bridge;

import io.chorus.model.Timers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one conversation's events back in {@code seq} order before they reach this gateway's sockets.
 * Events come from several publishers (chat nodes, LLM workers), so seq 7 can overtake seq 6 on the
 * way. A persisted event delivers when it is the next seq; behind a gap every later event waits, for
 * {@code holdMs}, for the missing one; then the gap is read from storage. Duplicates (seq already
 * delivered) are dropped. Events without seq (chunks, typing) keep their place in the arrival order.
 *
 * <p>Confined to the room's event-bus context; not thread-safe.
 */
public final class RoomSequencer {
  private static final Logger log = LoggerFactory.getLogger(RoomSequencer.class);
  /** Behind a gap, at most this many events wait; beyond, the gap is read at once. */
  private static final int MAX_PENDING = 10_000;
  private static final int MAX_FETCH_ATTEMPTS = 3;

  /** Reads the persisted events with afterSeq < seq < beforeSeq, as room events in seq order. */
  interface GapReader {
    Future<List<JsonObject>> read(String conversationId, long afterSeq, long beforeSeq);
  }

  private final String conversationId;
  private final Consumer<JsonObject> deliver;
  private final GapReader gaps;
  private final Timers timers;
  private final long holdMs;
  private final List<JsonObject> pending = new ArrayList<>();
  private long lastSeq;
  /** Cancels the pending gap read's timer; null when none is pending. */
  private Runnable cancelGapTimer;
  private boolean reading;
  private boolean catchUpWanted;
  private boolean closed;
  private int failedReads;

  RoomSequencer(String conversationId, long lastSeq, Consumer<JsonObject> deliver, GapReader gaps,
      Timers timers, long holdMs) {
    this.conversationId = conversationId;
    this.lastSeq = lastSeq;
    this.deliver = deliver;
    this.gaps = gaps;
    this.timers = timers;
    this.holdMs = holdMs;
  }

  public void accept(JsonObject event) {
    if (closed) {
      return;
    }
    pending.add(event);
    drain();
  }

  /**
   * Reads whatever storage holds after the last delivered seq. A new room consumer reaches publishers on
   * other nodes only once their cached subscription list is refreshed (vertx-hazelcast does that from a
   * throttled entry listener), so an event persisted just after the room opened can pass this gateway by
   * with no later event to reveal the gap. The room calls this a few times after it opens.
   */
  void catchUp() {
    if (closed) {
      return;
    }
    if (reading) {
      catchUpWanted = true;
      return;
    }
    reading = true;
    gaps.read(conversationId, lastSeq, Long.MAX_VALUE).onComplete(ar -> {
      reading = false;
      if (ar.succeeded()) {
        addFromStorage(ar.result());
      } else {
        // Not fatal: a later catch-up or the next live event reveals what is still missing.
        log.debug("conversation={} catch-up read failed: {}", conversationId, ar.cause().getMessage());
      }
      afterRead();
    });
  }

  /** The room closed: nothing more is delivered and no timer is left behind. */
  public void close() {
    closed = true;
    pending.clear();
    cancelGapTimer();
  }

  long lastSeq() {
    return lastSeq;
  }

  int waiting() {
    return pending.size();
  }

  private void drain() {
    while (!closed && !pending.isEmpty()) {
      JsonObject head = pending.get(0);
      Long seq = head.getLong("seq");
      if (seq == null || seq == lastSeq + 1) {
        pending.remove(0);
        if (seq != null) {
          lastSeq = seq;
        }
        deliver.accept(head);
      } else if (seq <= lastSeq) {
        pending.remove(0); // delivered already: a duplicate, or read from storage before it arrived
      } else if (!pullNextForward()) {
        awaitGap();
        return;
      }
    }
    cancelGapTimer();
  }

  /** Moves the event with the next seq to the front if it is waiting further back. */
  private boolean pullNextForward() {
    for (int i = 1; i < pending.size(); i++) {
      Long seq = pending.get(i).getLong("seq");
      if (seq != null && seq == lastSeq + 1) {
        pending.add(0, pending.remove(i));
        return true;
      }
    }
    return false;
  }

  private void awaitGap() {
    if (reading) {
      return;
    }
    if (pending.size() >= MAX_PENDING) {
      cancelGapTimer();
      readGap();
    } else if (cancelGapTimer == null) {
      cancelGapTimer = timers.schedule(holdMs, () -> {
        cancelGapTimer = null;
        readGap();
      });
    }
  }

  private void readGap() {
    long upTo = pending.stream().map(e -> e.getLong("seq")).filter(s -> s != null && s > lastSeq)
        .min(Comparator.naturalOrder()).orElse(lastSeq + 1);
    long after = lastSeq;
    reading = true;
    gaps.read(conversationId, after, upTo).onComplete(ar -> {
      reading = false;
      if (ar.succeeded()) {
        failedReads = 0;
        List<JsonObject> found = addFromStorage(ar.result());
        if (lastSeq == after && found.stream().noneMatch(e -> e.getLong("seq") == after + 1)) {
          skipGap(upTo, "storage has no seq " + (after + 1));
        }
      } else if (++failedReads >= MAX_FETCH_ATTEMPTS) {
        skipGap(upTo, ar.cause().getMessage());
      }
      afterRead();
    });
  }

  private List<JsonObject> addFromStorage(List<JsonObject> read) {
    List<JsonObject> found = new ArrayList<>(read);
    found.sort(Comparator.comparing(e -> e.getLong("seq")));
    pending.addAll(0, found);
    return found;
  }

  private void afterRead() {
    if (closed) {
      return;
    }
    drain();
    if (catchUpWanted) {
      catchUpWanted = false;
      catchUp();
    }
  }

  /** Gives up on a gap rather than hold the room forever; clients fill it from history. */
  private void skipGap(long upTo, String why) {
    log.warn("conversation={} skipping seqs {}..{}: {}", conversationId, lastSeq + 1, upTo - 1, why);
    lastSeq = upTo - 1;
    failedReads = 0;
  }

  private void cancelGapTimer() {
    if (cancelGapTimer != null) {
      cancelGapTimer.run();
      cancelGapTimer = null;
    }
  }
}
