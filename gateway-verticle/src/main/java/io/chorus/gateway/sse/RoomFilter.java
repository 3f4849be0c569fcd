package io.chorus.gateway.sse;

import io.chorus.model.events.RoomEvents;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one event stream still has to write of a room, so that history read from storage, the snapshots of
 * answers in flight and the live events (which start before the reads, and overlap them) reach the client
 * with no gap and no duplicate: a persisted event once, in seq order; a chunk only above its stream's
 * snapshot index; nothing more of a stream after its terminal event. Plain logic, confined to the stream's
 * context.
 */
final class RoomFilter {
  /** Streams remembered as ended: enough for the overlap of replay and live events. */
  private static final int ENDED_KEPT = 1_000;

  private long lastSeq;
  private final Map<String, Long> snapshotIndex = new HashMap<>();
  private final Set<String> ended = new LinkedHashSet<>();

  RoomFilter(long afterSeq) {
    this.lastSeq = afterSeq;
  }

  long lastSeq() {
    return lastSeq;
  }

  /** True when the event is to be written now (and it is then counted as written). */
  boolean admit(JsonObject event) {
    if (event.getValue("seq") instanceof Number number) {
      long seq = number.longValue();
      if (seq <= lastSeq) {
        return false;
      }
      lastSeq = seq;
    }
    String streamId = event.getString("streamId");
    if (streamId == null) {
      return true;
    }
    String type = event.getString("type", "");
    if (type.equals(RoomEvents.AI_RESPONSE_COMPLETE) || type.equals(RoomEvents.AI_RESPONSE_ERROR)) {
      snapshotIndex.remove(streamId);
      return remember(streamId);
    }
    if (ended.contains(streamId)) {
      return false;
    }
    if (type.equals(RoomEvents.AI_RESPONSE_CHUNK)) {
      Long snapshot = snapshotIndex.get(streamId);
      return snapshot == null || event.getLong("index", -1L) > snapshot;
    }
    if (type.equals(RoomEvents.AI_THINKING)) {
      return !snapshotIndex.containsKey(streamId); // the snapshot told it already
    }
    return true;
  }

  /**
   * A snapshot of an answer in flight ({@code {streamId, replyTo, index, text}}, from history): true when it is
   * to be written; then only its chunks above {@code index} follow.
   */
  boolean admitSnapshot(JsonObject snapshot) {
    String streamId = snapshot.getString("streamId");
    if (streamId == null || ended.contains(streamId)) {
      return false;
    }
    snapshotIndex.put(streamId, snapshot.getLong("index", -1L));
    return true;
  }

  private boolean remember(String streamId) {
    if (!ended.add(streamId)) {
      return false;
    }
    if (ended.size() > ENDED_KEPT) {
      Iterator<String> oldest = ended.iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }
}
