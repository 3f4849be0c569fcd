package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** Looks an account up by name for login. 404 when there is none. */
public record FindUser(String username) implements JsonRecord {
  public static FindUser fromJson(JsonObject json) {
    return new FindUser(Fields.string(json, "username"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("username", username);
  }
}
