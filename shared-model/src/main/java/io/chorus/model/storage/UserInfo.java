package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** A user as other users see it. */
public record UserInfo(String userId, String username) implements JsonRecord {
  public static UserInfo fromJson(JsonObject json) {
    return new UserInfo(Fields.string(json, "userId"), Fields.string(json, "username"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("username", username);
  }
}
