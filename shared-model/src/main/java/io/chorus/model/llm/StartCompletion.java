package io.chorus.model.llm;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * Asks an LLM worker to answer the user message {@code replyTo}. The chat service has already
 * announced {@code ai_thinking} with this {@code streamId}; the worker owns the stream from here on and
 * always ends it with {@code ai_response_complete} or {@code ai_response_error}.
 */
public record StartCompletion(String conversationId, String streamId, String replyTo, String userId,
    String assistantId)
    implements JsonRecord {

  /** For the deployment's first assistant (a request from a chat node older than assistants). */
  public StartCompletion(String conversationId, String streamId, String replyTo, String userId) {
    this(conversationId, streamId, replyTo, userId, null);
  }

  public static StartCompletion fromJson(JsonObject json) {
    return new StartCompletion(
        Fields.uuid(json, "conversationId"),
        Fields.string(json, "streamId"),
        Fields.string(json, "replyTo"),
        Fields.optString(json, "userId"),
        Fields.optString(json, "assistantId"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("conversationId", conversationId)
        .put("streamId", streamId)
        .put("replyTo", replyTo);
    Fields.putIfPresent(json, "assistantId", assistantId);
    return Fields.putIfPresent(json, "userId", userId);
  }
}
