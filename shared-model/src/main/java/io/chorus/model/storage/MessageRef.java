package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * One stored message of a conversation, read by a member ({@code userId}): 404 for an unknown conversation or a
 * message that is not in it, 403 for a non-member.
 */
public record MessageRef(String conversationId, String messageId, String userId) implements JsonRecord {
  public static MessageRef fromJson(JsonObject json) {
    return new MessageRef(Fields.uuid(json, "conversationId"), Fields.uuid(json, "messageId"),
        Fields.uuid(json, "userId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("conversationId", conversationId).put("messageId", messageId).put("userId", userId);
  }
}
