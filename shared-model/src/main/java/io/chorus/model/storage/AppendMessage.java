package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * Appends one persisted event to a conversation and gives it the next {@code seq}.
 *
 * <p>A user message is refused with 403/404 unless {@code userId} is a member; a repeated
 * {@code (conversationId, clientMsgId)} returns the first message with {@code duplicate=true}. An
 * assistant message carries the stream it ends, why it ended and its usage; {@code errorCode} is set
 * when the stream failed and only the partial text is kept. {@code askedBy} (an answer only; null from an older
 * worker) is the member whose question or regenerate the answer is for: its tokens count in their usage, whoever
 * wrote the question.
 */
public record AppendMessage(
    String conversationId,
    String role,
    String userId,
    String content,
    String clientMsgId,
    String replyTo,
    String streamId,
    String finishReason,
    Integer errorCode,
    String error,
    Usage usage,
    String assistantId,
    String model,
    UserInfo stoppedBy,
    String askedBy)
    implements JsonRecord {

  /** A message that names no assistant: a user's, or an answer stored by an older worker. */
  public AppendMessage(String conversationId, String role, String userId, String content, String clientMsgId,
      String replyTo, String streamId, String finishReason, Integer errorCode, String error, Usage usage) {
    this(conversationId, role, userId, content, clientMsgId, replyTo, streamId, finishReason, errorCode, error, usage,
        null, null, null, null);
  }

  /** Asked for by nobody named (an older worker): its usage counts for the question's author. */
  public AppendMessage(String conversationId, String role, String userId, String content, String clientMsgId,
      String replyTo, String streamId, String finishReason, Integer errorCode, String error, Usage usage,
      String assistantId, String model, UserInfo stoppedBy) {
    this(conversationId, role, userId, content, clientMsgId, replyTo, streamId, finishReason, errorCode, error, usage,
        assistantId, model, stoppedBy, null);
  }

  /** Stopped by nobody in particular. */
  public AppendMessage(String conversationId, String role, String userId, String content, String clientMsgId,
      String replyTo, String streamId, String finishReason, Integer errorCode, String error, Usage usage,
      String assistantId, String model) {
    this(conversationId, role, userId, content, clientMsgId, replyTo, streamId, finishReason, errorCode, error, usage,
        assistantId, model, null, null);
  }

  /** This answer as given by the assistant profile {@code assistantId} with {@code model}. */
  public AppendMessage answeredBy(String assistantId, String model) {
    return new AppendMessage(conversationId, role, userId, content, clientMsgId, replyTo, streamId, finishReason,
        errorCode, error, usage, assistantId, model, stoppedBy, askedBy);
  }

  /** This answer as stopped by the member {@code by} (null: nobody named). */
  public AppendMessage stoppedBy(UserInfo by) {
    return new AppendMessage(conversationId, role, userId, content, clientMsgId, replyTo, streamId, finishReason,
        errorCode, error, usage, assistantId, model, by, askedBy);
  }

  /**
   * This answer as asked for by the member {@code userId} (the stream's asker: who sent the question, or who asked
   * for it again), whose usage its tokens count in.
   */
  public AppendMessage askedBy(String userId) {
    return new AppendMessage(conversationId, role, this.userId, content, clientMsgId, replyTo, streamId, finishReason,
        errorCode, error, usage, assistantId, model, stoppedBy, userId);
  }

  public static final String ROLE_USER = "user";
  public static final String ROLE_ASSISTANT = "assistant";

  public static AppendMessage user(String conversationId, String userId, String content, String clientMsgId) {
    return new AppendMessage(conversationId, ROLE_USER, userId, content, clientMsgId, null, null, null, null, null, null);
  }

  /** An answer that ended normally or was stopped; {@code error} is {@link #assistantError}'s. */
  public static AppendMessage assistant(
      String conversationId, String replyTo, String streamId, String content, FinishReason finishReason,
      Usage usage) {
    if (finishReason == FinishReason.ERROR) {
      throw new IllegalArgumentException("a failed answer is stored by assistantError");
    }
    return new AppendMessage(conversationId, ROLE_ASSISTANT, null, content, null, replyTo, streamId,
        finishReason.wireName(), null, null, usage);
  }

  public static AppendMessage assistantError(
      String conversationId, String replyTo, String streamId, String partialContent, int errorCode, String error,
      Usage usage) {
    return new AppendMessage(conversationId, ROLE_ASSISTANT, null, partialContent, null, replyTo, streamId,
        FinishReason.ERROR.wireName(), errorCode, error, usage);
  }

  public static AppendMessage fromJson(JsonObject json) {
    return new AppendMessage(
        Fields.uuid(json, "conversationId"),
        Fields.string(json, "role"),
        Fields.optString(json, "userId"),
        Fields.string(json, "content"),
        Fields.optString(json, "clientMsgId"),
        Fields.optString(json, "replyTo"),
        Fields.optString(json, "streamId"),
        Fields.optString(json, "finishReason"),
        Fields.optInt(json, "errorCode"),
        Fields.optString(json, "error"),
        Usage.fromJson(json.getJsonObject("usage")),
        Fields.optString(json, "assistantId"),
        Fields.optString(json, "model"),
        json.getJsonObject("stoppedBy") == null ? null : UserInfo.fromJson(json.getJsonObject("stoppedBy")),
        Fields.optString(json, "askedBy"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("conversationId", conversationId).put("role", role).put("content", content);
    Fields.putIfPresent(json, "userId", userId);
    Fields.putIfPresent(json, "clientMsgId", clientMsgId);
    Fields.putIfPresent(json, "replyTo", replyTo);
    Fields.putIfPresent(json, "streamId", streamId);
    Fields.putIfPresent(json, "finishReason", finishReason);
    Fields.putIfPresent(json, "errorCode", errorCode);
    Fields.putIfPresent(json, "error", error);
    Fields.putIfPresent(json, "assistantId", assistantId);
    Fields.putIfPresent(json, "model", model);
    Fields.putIfPresent(json, "stoppedBy", stoppedBy == null ? null : stoppedBy.toJson());
    Fields.putIfPresent(json, "askedBy", askedBy);
    return Fields.putIfPresent(json, "usage", usage == null ? null : usage.toJson());
  }
}
