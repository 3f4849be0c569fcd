package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** The owner ({@code actorId}) adds a user by name; 403 for anyone else, adding twice is harmless. */
public record AddMember(String conversationId, String actorId, String username) implements JsonRecord {
  public static AddMember fromJson(JsonObject json) {
    return new AddMember(
        Fields.uuid(json, "conversationId"), Fields.uuid(json, "actorId"), Fields.string(json, "username"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("conversationId", conversationId).put("actorId", actorId).put("username", username);
  }
}
