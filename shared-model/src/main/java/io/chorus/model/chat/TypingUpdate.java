package io.chorus.model.chat;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** A member starts or stops typing; relayed to the room, never stored, rate limited per user. */
public record TypingUpdate(String conversationId, String userId, String username, boolean isTyping)
    implements JsonRecord {

  public static TypingUpdate fromJson(JsonObject json) {
    return new TypingUpdate(
        Fields.uuid(json, "conversationId"),
        Fields.uuid(json, "userId"),
        Fields.string(json, "username"),
        Fields.bool(json, "isTyping"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("conversationId", conversationId)
        .put("userId", userId)
        .put("username", username)
        .put("isTyping", isTyping);
  }
}
