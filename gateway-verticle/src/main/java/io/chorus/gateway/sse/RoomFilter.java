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
 * with no gap and no duplicate: a persisted event once, in seq order; a chunk only above the last index
 * written of its stream (its snapshot's, or its last chunk's); nothing more of a stream after its terminal
 * event. A live chunk more than one above that index means chunks passed the gateway by (one that has just
 * opened the room is reached a moment after it joined): {@link #skipsAhead} says so, and the stream reads the
 * answer's newer snapshot, as a bridge client does (protocol, Reconnecting). Plain logic, confined to the
 * stream's context.
 */
final class RoomFilter {
  /** Streams remembered as ended: enough for the overlap of replay and live events. */
  private static final int ENDED_KEPT = 1_000;

  private long lastSeq;
  /** Streams whose chunks so far this client has all had: the last index written (-1: none yet). */
  private final Map<String, Long> lastIndex = new HashMap<>();
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
      lastIndex.remove(streamId);
      return remember(streamId);
    }
    if (ended.contains(streamId)) {
      return false;
    }
    if (type.equals(RoomEvents.AI_RESPONSE_CHUNK)) {
      long index = event.getLong("index", -1L);
      Long last = lastIndex.get(streamId);
      if (last != null && index <= last) {
        return false;
      }
      if (last != null) {
        lastIndex.put(streamId, index);
      }
      return true;
    }
    if (type.equals(RoomEvents.AI_THINKING)) {
      // The snapshot told it already; else the answer starts here, and every chunk of it is to come.
      return lastIndex.putIfAbsent(streamId, -1L) == null;
    }
    return true;
  }

  /**
   * True for a chunk of a stream followed from its start or its snapshot whose index is more than one above
   * the last written: the chunks between passed the gateway by, and the answer's snapshot is to be read again
   * (it holds them: a worker records a chunk before it publishes it).
   */
  boolean skipsAhead(JsonObject event) {
    if (!RoomEvents.AI_RESPONSE_CHUNK.equals(event.getString("type"))) {
      return false;
    }
    Long last = lastIndex.get(event.getString("streamId"));
    return last != null && event.getLong("index", -1L) > last + 1;
  }

  /**
   * A snapshot of an answer in flight ({@code {streamId, replyTo, index, text}}, from history): true when it is
   * to be written (the stream's first, or one newer than what was written of it); then only its chunks above
   * {@code index} follow.
   */
  boolean admitSnapshot(JsonObject snapshot) {
    String streamId = snapshot.getString("streamId");
    if (streamId == null || ended.contains(streamId)) {
      return false;
    }
    long index = snapshot.getLong("index", -1L);
    Long last = lastIndex.get(streamId);
    if (last != null && index <= last) {
      return false;
    }
    lastIndex.put(streamId, index);
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
