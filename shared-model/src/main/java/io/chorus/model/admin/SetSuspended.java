package io.chorus.model.admin;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** An admin suspends ({@code suspended} true) or lets back ({@code false}) a user; the reply names the user. */
public record SetSuspended(String userId, String actorId, boolean suspended) implements JsonRecord {
  public static SetSuspended fromJson(JsonObject json) {
    return new SetSuspended(Fields.uuid(json, "userId"), Fields.optString(json, "actorId"),
        Fields.bool(json, "suspended"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("userId", userId).put("suspended", suspended);
    return Fields.putIfPresent(json, "actorId", actorId);
  }
}
