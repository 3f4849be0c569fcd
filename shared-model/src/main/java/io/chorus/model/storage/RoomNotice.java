package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * What a stored notice (a message of role {@code notice}) says happened: {@code type} is the room event's type
 * ({@code member_left}, {@code member_removed}), {@code data} its fields beyond seq, messageId and the member.
 */
public record RoomNotice(String type, JsonObject data) implements JsonRecord {
  public static RoomNotice fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new RoomNotice(Fields.string(json, "type"), json.getJsonObject("data", new JsonObject()));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("data", data);
  }
}
