package io.chorus.gateway.sse;

import io.chorus.model.chat.SendResult;
import io.chorus.model.events.RoomEvents;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a room's events belong to one message sent with {@code Accept: text/event-stream}, and in what
 * order: its {@code new_message}, then (for a question) its answer's {@code ai_thinking}, chunks in index
 * order and terminal event.
 *
 * <p>The sender joined the room a moment before sending, and a node that publishes to the room may not know
 * that yet: live events can pass the sender by. So nothing here depends on seeing them all. The message
 * comes again from the room's catch-up (it has a seq); the {@code ai_thinking} comes with the send's reply;
 * a chunk that was missed shows as a gap in the indexes, and is made good from the stream's snapshot (the
 * text so far, which the worker records before it publishes a chunk): one chunk then carries the text of
 * those it stands for, under the last one's index. The terminal event holds the whole answer.
 *
 * <p>Plain logic, confined to the request's context.
 */
final class SendFilter {
  /** Events held before they can be told apart: a busy room cannot make a sender hold more. */
  static final int MAX_HELD = 10_000;

  private final List<JsonObject> held = new ArrayList<>();
  private String messageId;
  private long seq = -1;
  private JsonObject thinking;
  private String streamId;
  private boolean messageWritten;
  private boolean done;
  /** The next chunk index the sender is to get, and how much of the answer's text it has had. */
  private long nextIndex;
  private int textWritten;
  /** A chunk was missed: later ones are held until the snapshot comes ({@link #repaired}). */
  private boolean gap;
  private boolean snapshotWanted;

  /** The send was stored: returns what can be written now. */
  List<JsonObject> sent(SendResult result) {
    this.messageId = result.messageId();
    this.seq = result.seq();
    this.thinking = result.aiThinking();
    this.streamId = result.streamId();
    return replayHeld();
  }

  /** A room event: what is to be written now (possibly events held earlier), in order. */
  List<JsonObject> offer(JsonObject event) {
    if (done) {
      return List.of();
    }
    if (messageId == null) {
      hold(event); // not yet known which message is ours
      return List.of();
    }
    if (!messageWritten) {
      if (!isOwnMessage(event)) {
        if (isOwnStream(event)) {
          hold(event);
        }
        return List.of();
      }
      messageWritten = true;
      List<JsonObject> out = new ArrayList<>(List.of(event));
      if (thinking == null) {
        done = true; // nothing asked (or a resend: its answer belongs to the first send)
        return out;
      }
      out.add(thinking);
      out.addAll(replayHeld());
      return out;
    }
    if (!isOwnStream(event)) {
      return List.of();
    }
    String type = event.getString("type", "");
    if (isTerminal(type)) {
      done = true; // it holds the whole answer: chunks still held are not needed
      held.clear();
      return List.of(event);
    }
    if (!type.equals(RoomEvents.AI_RESPONSE_CHUNK)) {
      return List.of(); // the live copy of the ai_thinking the reply brought
    }
    long index = event.getLong("index", -1L);
    if (index < nextIndex) {
      return List.of();
    }
    if (gap || index > nextIndex) {
      snapshotWanted |= !gap;
      gap = true;
      hold(event);
      return List.of();
    }
    nextIndex = index + 1;
    textWritten += event.getString("delta", "").length();
    return List.of(event);
  }

  /** True once per gap: the caller is to read the stream's snapshot and hand it to {@link #repaired}. */
  boolean takeSnapshotWanted() {
    boolean wanted = snapshotWanted;
    snapshotWanted = false;
    return wanted;
  }

  /**
   * The stream's snapshot ({@code streamId, index, text}), read after a gap was seen, or null when the stream
   * was no longer running (its terminal event is then on its way, with the whole answer).
   */
  List<JsonObject> repaired(JsonObject snapshot) {
    if (done || !gap || snapshot == null) {
      return List.of();
    }
    gap = false;
    List<JsonObject> out = new ArrayList<>();
    long index = snapshot.getLong("index", -1L);
    String text = snapshot.getString("text", "");
    if (index >= nextIndex && text.length() >= textWritten) {
      out.add(RoomEvents.aiChunk(thinking.getString("conversationId"), streamId, index,
          text.substring(textWritten)));
      nextIndex = index + 1;
      textWritten = text.length();
    }
    out.addAll(replayHeld());
    return out;
  }

  /** The message, and for a question its answer's terminal event, were written: the answer may end. */
  boolean done() {
    return done;
  }

  /** Stored before (a resend of a known {@code clientMsgId}): its event will not come live again. */
  boolean storedBefore(long roomSeqAtJoin) {
    return seq >= 0 && seq <= roomSeqAtJoin;
  }

  private List<JsonObject> replayHeld() {
    List<JsonObject> before = List.copyOf(held);
    held.clear();
    List<JsonObject> out = new ArrayList<>();
    before.forEach(event -> out.addAll(offer(event)));
    return out;
  }

  private void hold(JsonObject event) {
    if (held.size() < MAX_HELD) {
      held.add(event);
    }
  }

  /** An event (or snapshot) of the answer to this send. */
  boolean isOwnStream(JsonObject event) {
    return streamId != null && streamId.equals(event.getString("streamId"));
  }

  private boolean isOwnMessage(JsonObject event) {
    return RoomEvents.NEW_MESSAGE.equals(event.getString("type")) && event.getValue("seq") instanceof Number n
        && n.longValue() == seq;
  }

  private static boolean isTerminal(String type) {
    return type.equals(RoomEvents.AI_RESPONSE_COMPLETE) || type.equals(RoomEvents.AI_RESPONSE_ERROR);
  }
}
