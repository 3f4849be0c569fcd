package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** Asks for something on behalf of one user (their conversation list, for instance). */
public record UserRef(String userId) implements JsonRecord {
  public static UserRef fromJson(JsonObject json) {
    return new UserRef(Fields.uuid(json, "userId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId);
  }
}
