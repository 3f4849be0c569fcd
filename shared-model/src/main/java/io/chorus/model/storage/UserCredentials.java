package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * An account with its password hash; only the gateway asks for it, to check a login. {@code admin}: granted
 * with {@code ./chorus admin grant} (the gateway's {@code ADMIN_USERS} names others); {@code suspended}: an admin
 * suspended it, so its logins are refused.
 */
public record UserCredentials(String userId, String username, String passwordHash, boolean admin, boolean suspended)
    implements JsonRecord {
  public UserCredentials(String userId, String username, String passwordHash) {
    this(userId, username, passwordHash, false, false);
  }

  public static UserCredentials fromJson(JsonObject json) {
    return new UserCredentials(
        Fields.string(json, "userId"), Fields.string(json, "username"), Fields.string(json, "passwordHash"),
        Fields.bool(json, "admin", false), Fields.bool(json, "suspended", false));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("username", username).put("passwordHash", passwordHash)
        .put("admin", admin).put("suspended", suspended);
  }
}
