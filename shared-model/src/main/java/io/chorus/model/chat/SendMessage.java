package io.chorus.model.chat;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A user's message to a conversation. {@code userId} and {@code username} come from the gateway's
 * authenticated socket, never from the client. {@code ai} asks the assistant to answer.
 */
public record SendMessage(
    String conversationId, String userId, String username, String text, String clientMsgId, boolean ai)
    implements JsonRecord {

  public static SendMessage fromJson(JsonObject json) {
    return new SendMessage(
        Fields.uuid(json, "conversationId"),
        Fields.uuid(json, "userId"),
        Fields.string(json, "username"),
        Fields.string(json, "text"),
        Fields.optString(json, "clientMsgId"),
        Fields.bool(json, "ai", false));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("conversationId", conversationId)
        .put("userId", userId)
        .put("username", username)
        .put("text", text)
        .put("ai", ai);
    return Fields.putIfPresent(json, "clientMsgId", clientMsgId);
  }
}
