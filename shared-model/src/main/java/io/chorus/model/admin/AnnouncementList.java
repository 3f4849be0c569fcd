package io.chorus.model.admin;

import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Announcements, oldest first. */
public record AnnouncementList(List<Announcement> announcements) implements JsonRecord {
  public static AnnouncementList fromJson(JsonObject json) {
    return new AnnouncementList(json.getJsonArray("announcements", new JsonArray()).stream()
        .map(a -> Announcement.fromJson((JsonObject) a)).toList());
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("announcements", new JsonArray(announcements.stream().map(Announcement::toJson).toList()));
  }
}
