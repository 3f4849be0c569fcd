package io.chorus.gateway.sse;

import io.chorus.model.events.RoomEvents;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a room's events belong to one message sent with {@code Accept: text/event-stream}: its
 * {@code new_message}, then (with {@code ai}) its answer's {@code ai_thinking}, chunks and terminal event, in
 * that order. The room's events start before the send is answered, so everything is held until the message's
 * id and seq are known; the answer's events wait until the message itself is written. Plain logic, confined
 * to the request's context.
 */
final class SendFilter {
  /** Events held before they can be told apart: a busy room cannot make a sender hold more. */
  static final int MAX_HELD = 10_000;

  private final boolean ai;
  private final List<JsonObject> held = new ArrayList<>();
  private String messageId;
  private long seq = -1;
  private boolean messageWritten;
  private String streamId;
  private boolean done;

  SendFilter(boolean ai) {
    this.ai = ai;
  }

  /** The send was stored as {@code messageId} with {@code seq}: returns what can be written now. */
  List<JsonObject> sent(String messageId, long seq) {
    this.messageId = messageId;
    this.seq = seq;
    List<JsonObject> before = List.copyOf(held);
    held.clear();
    List<JsonObject> out = new ArrayList<>();
    before.forEach(event -> out.addAll(offer(event)));
    return out;
  }

  /** A room event: what is to be written now (possibly events held earlier), in order. */
  List<JsonObject> offer(JsonObject event) {
    if (done) {
      return List.of();
    }
    if (messageId == null || (!messageWritten && !isOwnMessage(event))) {
      if (held.size() < MAX_HELD && (messageId == null || belongsToAnswer(event))) {
        held.add(event);
      }
      return List.of();
    }
    if (isOwnMessage(event)) {
      messageWritten = true;
      List<JsonObject> out = new ArrayList<>(List.of(event));
      done = !ai;
      List<JsonObject> waiting = List.copyOf(held);
      held.clear();
      waiting.forEach(e -> out.addAll(offer(e)));
      return out;
    }
    String type = event.getString("type", "");
    if (streamId == null && (type.equals(RoomEvents.AI_THINKING) || type.equals(RoomEvents.AI_RESPONSE_COMPLETE)
        || type.equals(RoomEvents.AI_RESPONSE_ERROR)) && messageId.equals(event.getString("replyTo"))) {
      streamId = event.getString("streamId");
      List<JsonObject> ofStream = held.stream().filter(e -> streamId.equals(e.getString("streamId"))).toList();
      held.clear();
      done = isTerminal(type);
      List<JsonObject> out = new ArrayList<>();
      if (done) {
        out.addAll(ofStream); // chunks that arrived before their terminal event
        out.add(event);
      } else {
        out.add(event); // ai_thinking, then the chunks that overtook it
        out.addAll(ofStream);
      }
      return out;
    }
    if (streamId == null) {
      // A chunk that overtook its stream's ai_thinking (another publisher): kept until the stream is known.
      if (held.size() < MAX_HELD && event.getString("streamId") != null) {
        held.add(event);
      }
      return List.of();
    }
    if (!streamId.equals(event.getString("streamId"))) {
      return List.of();
    }
    done = isTerminal(type);
    return List.of(event);
  }

  /** The message, and with {@code ai} its answer's terminal event, were written: the answer may end. */
  boolean done() {
    return done;
  }

  /** Stored before (a resend of a known {@code clientMsgId}): its event will not come live again. */
  boolean storedBefore(long roomSeqAtJoin) {
    return seq >= 0 && seq <= roomSeqAtJoin;
  }

  private boolean isOwnMessage(JsonObject event) {
    return RoomEvents.NEW_MESSAGE.equals(event.getString("type")) && event.getValue("seq") instanceof Number n
        && n.longValue() == seq;
  }

  /** Could belong to the answer: anything of a stream, before the stream is known. */
  private boolean belongsToAnswer(JsonObject event) {
    return ai && event.getString("streamId") != null;
  }

  private static boolean isTerminal(String type) {
    return type.equals(RoomEvents.AI_RESPONSE_COMPLETE) || type.equals(RoomEvents.AI_RESPONSE_ERROR);
  }
}
