package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** An account with its password hash; only the gateway asks for it, to check a login. */
public record UserCredentials(String userId, String username, String passwordHash) implements JsonRecord {
  public static UserCredentials fromJson(JsonObject json) {
    return new UserCredentials(
        Fields.string(json, "userId"), Fields.string(json, "username"), Fields.string(json, "passwordHash"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("username", username).put("passwordHash", passwordHash);
  }
}
