package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.files.FileAttachment;
import io.vertx.core.json.JsonObject;

/**
 * One persisted event of a conversation as stored, with its gap-free {@code seq}. {@link #toEvent()}
 * gives the room event it was announced as, so history and live delivery look the same to clients.
 */
public record StoredMessage(
    String messageId,
    String conversationId,
    long seq,
    String role,
    String userId,
    String username,
    String content,
    String clientMsgId,
    String replyTo,
    String streamId,
    String finishReason,
    Integer errorCode,
    String error,
    Usage usage,
    String createdAt,
    FileAttachment file,
    RoomNotice notice,
    String assistantId,
    String model,
    UserInfo stoppedBy)
    implements JsonRecord {

  /** Stopped by nobody in particular (all but answers a member stopped). */
  public StoredMessage(String messageId, String conversationId, long seq, String role, String userId,
      String username, String content, String clientMsgId, String replyTo, String streamId, String finishReason,
      Integer errorCode, String error, Usage usage, String createdAt, FileAttachment file, RoomNotice notice,
      String assistantId, String model) {
    this(messageId, conversationId, seq, role, userId, username, content, clientMsgId, replyTo, streamId,
        finishReason, errorCode, error, usage, createdAt, file, notice, assistantId, model, null);
  }

  /** A message that names no assistant (all but answers, and answers stored before assistants). */
  public StoredMessage(String messageId, String conversationId, long seq, String role, String userId,
      String username, String content, String clientMsgId, String replyTo, String streamId, String finishReason,
      Integer errorCode, String error, Usage usage, String createdAt, FileAttachment file, RoomNotice notice) {
    this(messageId, conversationId, seq, role, userId, username, content, clientMsgId, replyTo, streamId,
        finishReason, errorCode, error, usage, createdAt, file, notice, null, null);
  }

  /** The role of a message that announces an uploaded file ({@code file} is set). */
  public static final String ROLE_FILE = "file";
  /** The role of a notice: something that happened to the conversation ({@code notice} is set). */
  public static final String ROLE_NOTICE = "notice";

  /** A message without a file or notice: a user's or the assistant's. */
  public StoredMessage(String messageId, String conversationId, long seq, String role, String userId,
      String username, String content, String clientMsgId, String replyTo, String streamId, String finishReason,
      Integer errorCode, String error, Usage usage, String createdAt) {
    this(messageId, conversationId, seq, role, userId, username, content, clientMsgId, replyTo, streamId,
        finishReason, errorCode, error, usage, createdAt, null, null);
  }

  /** A message that may announce a file, and is no notice. */
  public StoredMessage(String messageId, String conversationId, long seq, String role, String userId,
      String username, String content, String clientMsgId, String replyTo, String streamId, String finishReason,
      Integer errorCode, String error, Usage usage, String createdAt, FileAttachment file) {
    this(messageId, conversationId, seq, role, userId, username, content, clientMsgId, replyTo, streamId,
        finishReason, errorCode, error, usage, createdAt, file, null);
  }

  /** The finish reason stored for an answer that failed after some text reached the room. */
  public static final String FINISH_ERROR = FinishReason.ERROR.wireName();

  public static StoredMessage fromJson(JsonObject json) {
    return new StoredMessage(
        Fields.string(json, "messageId"),
        Fields.string(json, "conversationId"),
        Fields.longValue(json, "seq"),
        Fields.string(json, "role"),
        Fields.optString(json, "userId"),
        Fields.optString(json, "username"),
        Fields.string(json, "content"),
        Fields.optString(json, "clientMsgId"),
        Fields.optString(json, "replyTo"),
        Fields.optString(json, "streamId"),
        Fields.optString(json, "finishReason"),
        Fields.optInt(json, "errorCode"),
        Fields.optString(json, "error"),
        Usage.fromJson(json.getJsonObject("usage")),
        Fields.optString(json, "createdAt"),
        FileAttachment.fromJson(json.getJsonObject("file")),
        RoomNotice.fromJson(json.getJsonObject("notice")),
        Fields.optString(json, "assistantId"),
        Fields.optString(json, "model"),
        json.getJsonObject("stoppedBy") == null ? null : UserInfo.fromJson(json.getJsonObject("stoppedBy")));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("messageId", messageId)
        .put("conversationId", conversationId)
        .put("seq", seq)
        .put("role", role)
        .put("content", content);
    Fields.putIfPresent(json, "userId", userId);
    Fields.putIfPresent(json, "username", username);
    Fields.putIfPresent(json, "clientMsgId", clientMsgId);
    Fields.putIfPresent(json, "replyTo", replyTo);
    Fields.putIfPresent(json, "streamId", streamId);
    Fields.putIfPresent(json, "finishReason", finishReason);
    Fields.putIfPresent(json, "errorCode", errorCode);
    Fields.putIfPresent(json, "error", error);
    Fields.putIfPresent(json, "usage", usage == null ? null : usage.toJson());
    Fields.putIfPresent(json, "file", file == null ? null : file.toJson());
    Fields.putIfPresent(json, "notice", notice == null ? null : notice.toJson());
    Fields.putIfPresent(json, "assistantId", assistantId);
    Fields.putIfPresent(json, "model", model);
    Fields.putIfPresent(json, "stoppedBy", stoppedBy == null ? null : stoppedBy.toJson());
    return Fields.putIfPresent(json, "createdAt", createdAt);
  }

  public boolean isUserMessage() {
    return AppendMessage.ROLE_USER.equals(role);
  }

  /** The room event this message was (or is to be) announced as. */
  public JsonObject toEvent() {
    if (file != null) {
      return RoomEvents.fileUploaded(this);
    }
    if (notice != null) {
      return RoomEvents.notice(this);
    }
    if (isUserMessage()) {
      return RoomEvents.newMessage(this);
    }
    if (FINISH_ERROR.equals(finishReason)) {
      return RoomEvents.aiError(conversationId, streamId, errorCode == null ? 500 : errorCode, error, this);
    }
    return RoomEvents.aiComplete(this);
  }
}
