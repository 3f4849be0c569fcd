package io.chorus.model.chat;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A member asks the assistant again: {@code messageId} is a question (a user's message) or an answer (then its
 * question is asked again). {@code userId} and {@code username} come from the gateway, never from the client.
 */
public record RegenerateAnswer(String conversationId, String messageId, String userId, String username)
    implements JsonRecord {

  public static RegenerateAnswer fromJson(JsonObject json) {
    return new RegenerateAnswer(Fields.uuid(json, "conversationId"), Fields.uuid(json, "messageId"),
        Fields.uuid(json, "userId"), Fields.optString(json, "username"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("conversationId", conversationId).put("messageId", messageId)
        .put("userId", userId);
    return Fields.putIfPresent(json, "username", username);
  }
}
