package io.chorus.model.admin;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** An admin's announcement to store; the reply is the stored {@link Announcement}. */
public record NewAnnouncement(String text, String level, String createdBy) implements JsonRecord {
  public static NewAnnouncement fromJson(JsonObject json) {
    return new NewAnnouncement(Fields.string(json, "text"), Fields.string(json, "level"),
        Fields.optString(json, "createdBy"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("text", text).put("level", level);
    return Fields.putIfPresent(json, "createdBy", createdBy);
  }
}
