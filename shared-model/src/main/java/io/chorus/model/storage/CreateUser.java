package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** Stores a new account; the gateway has already hashed the password. 409 when the name is taken. */
public record CreateUser(String username, String passwordHash) implements JsonRecord {
  public static CreateUser fromJson(JsonObject json) {
    return new CreateUser(Fields.string(json, "username"), Fields.string(json, "passwordHash"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("username", username).put("passwordHash", passwordHash);
  }
}
