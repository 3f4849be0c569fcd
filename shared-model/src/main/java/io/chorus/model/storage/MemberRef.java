package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A user acting on a conversation. Replies fail with 404 when the conversation does not exist and
 * 403 when the user is not a member.
 */
public record MemberRef(String conversationId, String userId) implements JsonRecord {
  public static MemberRef fromJson(JsonObject json) {
    return new MemberRef(Fields.uuid(json, "conversationId"), Fields.uuid(json, "userId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("conversationId", conversationId).put("userId", userId);
  }
}
