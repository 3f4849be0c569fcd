package io.chorus.model.admin;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * The announcements made after the one with id {@code after} (oldest first), or, without it, the latest
 * {@link #LATEST}.
 */
public record AnnouncementQuery(String after) implements JsonRecord {
  public static final int LATEST = 20;
  public static final int PAGE = 100;

  public static AnnouncementQuery fromJson(JsonObject json) {
    String after = Fields.optString(json, "after");
    return new AnnouncementQuery(after == null ? null : Fields.uuid(json, "after"));
  }

  @Override
  public JsonObject toJson() {
    return Fields.putIfPresent(new JsonObject(), "after", after);
  }
}
