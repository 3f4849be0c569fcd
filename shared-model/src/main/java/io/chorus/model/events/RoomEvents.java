package io.chorus.model.events;

import io.chorus.model.Fields;
import io.chorus.model.files.FileAttachment;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.json.JsonObject;

/**
 * The events members receive on {@code client.room.<conversationId>}, built in one place so every
 * producer emits the contract's field names. Persisted events carry {@code seq}.
 */
public final class RoomEvents {
  public static final String NEW_MESSAGE = "new_message";
  public static final String AI_THINKING = "ai_thinking";
  public static final String AI_RESPONSE_CHUNK = "ai_response_chunk";
  public static final String AI_RESPONSE_COMPLETE = "ai_response_complete";
  public static final String AI_RESPONSE_ERROR = "ai_response_error";
  public static final String USER_TYPING = "user_typing";
  public static final String USER_JOINED = "user_joined";
  public static final String USER_LEFT = "user_left";
  public static final String FILE_UPLOADED = "file_uploaded";
  /** On {@code client.user.<id>}, not a room: the gateway is shutting down; reconnect (to another). */
  public static final String GATEWAY_CLOSING = "gateway_closing";
  /**
   * Personal: more than {@code SOCKET_QUEUE_BYTES} waited for this socket; it is closed now. Reconnect and read
   * history from the last seq seen.
   */
  public static final String SLOW_CONSUMER = "slow_consumer";
  /** Personal (on {@code client.user.<id>}): someone made you a member of a conversation. */
  public static final String CONVERSATION_ADDED = "conversation_added";
  /** Personal: you are no longer a member of a conversation (you left, on any device, or the owner removed you). */
  public static final String CONVERSATION_REMOVED = "conversation_removed";
  /** Persisted: a member left the conversation. */
  public static final String MEMBER_LEFT = "member_left";
  /** Persisted: the owner removed a member ({@code removedBy}). */
  public static final String MEMBER_REMOVED = "member_removed";
  /** Persisted: a member switched the conversation's assistant ({@code assistantId, name, changedBy}). */
  public static final String ASSISTANT_CHANGED = "assistant_changed";

  /** Personal: your read marker of a conversation moved (on this or another device). */
  public static final String READ_MARKER = "read_marker";
  /** Persisted: a member changed how the assistant takes part ({@code answersEveryMessage}). */
  public static final String CONVERSATION_SETTINGS_CHANGED = "conversation_settings_changed";

  private RoomEvents() {}

  /** Personal: the recipient has read the conversation up to {@code lastReadSeq}. */
  public static JsonObject readMarker(String conversationId, long lastReadSeq) {
    return event(READ_MARKER, conversationId).put("lastReadSeq", lastReadSeq);
  }

  private static JsonObject event(String type, String conversationId) {
    return new JsonObject().put("type", type).put("conversationId", conversationId);
  }

  public static JsonObject newMessage(StoredMessage m) {
    JsonObject json = event(NEW_MESSAGE, m.conversationId())
        .put("seq", m.seq())
        .put("messageId", m.messageId())
        .put("role", m.role())
        .put("userId", m.userId())
        .put("username", m.username())
        .put("content", m.content());
    Fields.putIfPresent(json, "clientMsgId", m.clientMsgId());
    return Fields.putIfPresent(json, "createdAt", m.createdAt());
  }

  /** A stored file message; {@code text} only when the uploader wrote one. */
  public static JsonObject fileUploaded(StoredMessage m) {
    FileAttachment file = m.file();
    JsonObject json = event(FILE_UPLOADED, m.conversationId())
        .put("seq", m.seq())
        .put("messageId", m.messageId())
        .put("fileId", file.fileId())
        .put("filename", file.filename())
        .put("contentType", file.contentType())
        .put("size", file.size())
        .put("url", file.url())
        .put("userId", m.userId())
        .put("username", m.username());
    Fields.putIfPresent(json, "text", m.content() == null || m.content().isEmpty() ? null : m.content());
    return Fields.putIfPresent(json, "createdAt", m.createdAt());
  }

  public static JsonObject aiThinking(String conversationId, String streamId, String replyTo) {
    return event(AI_THINKING, conversationId).put("streamId", streamId).put("replyTo", replyTo);
  }

  /** With the assistant that will answer: its profile id and model. */
  public static JsonObject aiThinking(String conversationId, String streamId, String replyTo, String assistantId,
      String model) {
    JsonObject json = aiThinking(conversationId, streamId, replyTo);
    Fields.putIfPresent(json, "assistantId", assistantId);
    return Fields.putIfPresent(json, "model", model);
  }

  public static JsonObject aiChunk(String conversationId, String streamId, long index, String delta) {
    return event(AI_RESPONSE_CHUNK, conversationId).put("streamId", streamId).put("index", index).put("delta", delta);
  }

  public static JsonObject aiComplete(StoredMessage m) {
    JsonObject json = event(AI_RESPONSE_COMPLETE, m.conversationId())
        .put("streamId", m.streamId())
        .put("seq", m.seq())
        .put("messageId", m.messageId())
        .put("role", m.role())
        .put("content", m.content())
        .put("finishReason", m.finishReason());
    Fields.putIfPresent(json, "replyTo", m.replyTo());
    Fields.putIfPresent(json, "usage", m.usage() == null ? null : m.usage().toJson());
    Fields.putIfPresent(json, "assistantId", m.assistantId());
    Fields.putIfPresent(json, "model", m.model());
    Fields.putIfPresent(json, "stoppedBy", m.stoppedBy() == null ? null : m.stoppedBy().toJson());
    return Fields.putIfPresent(json, "createdAt", m.createdAt());
  }

  /** An answer that failed; {@code partial} is the stored partial text, or null when nothing was kept. */
  public static JsonObject aiError(String conversationId, String streamId, int code, String error, StoredMessage partial) {
    JsonObject json = event(AI_RESPONSE_ERROR, conversationId)
        .put("streamId", streamId)
        .put("code", code)
        .put("error", error == null ? "the answer failed" : error);
    if (partial != null) {
      json.put("seq", partial.seq()).put("messageId", partial.messageId()).put("content", partial.content());
      Fields.putIfPresent(json, "replyTo", partial.replyTo());
      Fields.putIfPresent(json, "usage", partial.usage() == null ? null : partial.usage().toJson());
      Fields.putIfPresent(json, "assistantId", partial.assistantId());
      Fields.putIfPresent(json, "model", partial.model());
    }
    return json;
  }

  /**
   * A stored notice ({@link #MEMBER_LEFT}, {@link #MEMBER_REMOVED}): who it is about ({@code userId},
   * {@code username}), its seq, and the notice's own fields.
   */
  public static JsonObject notice(StoredMessage m) {
    JsonObject json = event(m.notice().type(), m.conversationId())
        .put("seq", m.seq())
        .put("messageId", m.messageId())
        .put("userId", m.userId())
        .put("username", m.username());
    m.notice().data().forEach(field -> json.put(field.getKey(), field.getValue()));
    return Fields.putIfPresent(json, "createdAt", m.createdAt());
  }

  /** Is this (a member_left or member_removed event) the end of {@code userId}'s membership? */
  public static boolean endsMembership(JsonObject event) {
    String type = event.getString("type");
    return MEMBER_LEFT.equals(type) || MEMBER_REMOVED.equals(type);
  }

  /** Personal: the recipient is no longer a member; {@code by} is the recipient when they left themselves. */
  public static JsonObject conversationRemoved(String conversationId, String byUserId, String byUsername) {
    return event(CONVERSATION_REMOVED, conversationId)
        .put("removedBy", new JsonObject().put("userId", byUserId).put("username", byUsername));
  }

  /** Personal: {@code by} made the recipient a member of the conversation. */
  public static JsonObject conversationAdded(String conversationId, String title, String byUserId, String byUsername) {
    return event(CONVERSATION_ADDED, conversationId).put("title", title)
        .put("addedBy", new JsonObject().put("userId", byUserId).put("username", byUsername));
  }

  /** The user's first socket in the room, on any gateway. */
  public static JsonObject userJoined(String conversationId, String userId, String username) {
    return event(USER_JOINED, conversationId).put("userId", userId).put("username", username);
  }

  /** The user's last socket in the room closed, or its gateway died. */
  public static JsonObject userLeft(String conversationId, String userId, String username) {
    return event(USER_LEFT, conversationId).put("userId", userId).put("username", username);
  }

  public static JsonObject userTyping(String conversationId, String userId, String username, boolean isTyping) {
    return event(USER_TYPING, conversationId).put("userId", userId).put("username", username).put("isTyping", isTyping);
  }
}
