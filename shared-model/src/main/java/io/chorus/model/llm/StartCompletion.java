package io.chorus.model.llm;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * Asks an LLM worker to answer the user message {@code replyTo}. The chat service has already
 * announced {@code ai_thinking} with this {@code streamId}; the worker owns the stream from here on and
 * always ends it with {@code ai_response_complete} or {@code ai_response_error}. {@code replySeq} is the
 * question's seq: the worker reads the history up to it, so a question asked again (regenerate) is answered
 * from what came before it, not from what the room said since (null from an older chat node: the latest).
 */
public record StartCompletion(String conversationId, String streamId, String replyTo, String userId,
    String assistantId, Long replySeq)
    implements JsonRecord {

  /** For the deployment's first assistant (a request from a chat node older than assistants). */
  public StartCompletion(String conversationId, String streamId, String replyTo, String userId) {
    this(conversationId, streamId, replyTo, userId, null, null);
  }

  public StartCompletion(String conversationId, String streamId, String replyTo, String userId, String assistantId) {
    this(conversationId, streamId, replyTo, userId, assistantId, null);
  }

  public static StartCompletion fromJson(JsonObject json) {
    return new StartCompletion(
        Fields.uuid(json, "conversationId"),
        Fields.string(json, "streamId"),
        Fields.string(json, "replyTo"),
        Fields.optString(json, "userId"),
        Fields.optString(json, "assistantId"),
        Fields.optLong(json, "replySeq"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("conversationId", conversationId)
        .put("streamId", streamId)
        .put("replyTo", replyTo);
    Fields.putIfPresent(json, "assistantId", assistantId);
    Fields.putIfPresent(json, "replySeq", replySeq);
    return Fields.putIfPresent(json, "userId", userId);
  }
}
