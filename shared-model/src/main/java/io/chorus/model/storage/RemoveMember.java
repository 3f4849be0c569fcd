package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * {@code actorId} takes {@code userId} out of a conversation: a member may leave (the two are the same), the
 * owner may remove anyone else; 403 for any other actor, 404 when {@code userId} is not a member.
 */
public record RemoveMember(String conversationId, String actorId, String actorUsername, String userId)
    implements JsonRecord {
  public static RemoveMember fromJson(JsonObject json) {
    return new RemoveMember(Fields.uuid(json, "conversationId"), Fields.uuid(json, "actorId"),
        Fields.string(json, "actorUsername"), Fields.uuid(json, "userId"));
  }

  public boolean isLeaving() {
    return actorId.equals(userId);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("conversationId", conversationId).put("actorId", actorId)
        .put("actorUsername", actorUsername).put("userId", userId);
  }
}
