package io.chorus.model.admin;

import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The ids of every suspended user, for a gateway that starts after the cluster's memory of them is gone. */
public record SuspendedUsers(List<String> userIds) implements JsonRecord {
  public static SuspendedUsers fromJson(JsonObject json) {
    return new SuspendedUsers(json.getJsonArray("userIds", new JsonArray()).stream().map(String.class::cast).toList());
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userIds", new JsonArray(userIds));
  }
}
