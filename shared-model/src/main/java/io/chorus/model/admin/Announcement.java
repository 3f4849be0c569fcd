package io.chorus.model.admin;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** A stored announcement, as the API lists it; {@link #toEvent()} is the personal event every client gets. */
public record Announcement(String announcementId, String text, String level, String createdAt) implements JsonRecord {
  public static final String EVENT = "announcement";
  public static final Set<String> LEVELS = Set.of("info", "warning");
  /** Longest text an announcement may carry (a banner, not a document). */
  public static final int MAX_TEXT = 2_000;

  public static Announcement fromJson(JsonObject json) {
    return new Announcement(Fields.uuid(json, "announcementId"), Fields.string(json, "text"),
        Fields.string(json, "level"), Fields.string(json, "createdAt"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("announcementId", announcementId).put("text", text).put("level", level)
        .put("createdAt", createdAt);
  }

  /** {@code {type: "announcement", announcementId, text, level, createdAt}} on {@code client.user.<id>}. */
  public JsonObject toEvent() {
    return toJson().put("type", EVENT);
  }
}
