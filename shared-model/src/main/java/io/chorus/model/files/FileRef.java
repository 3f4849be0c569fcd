package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** A user asking for a stored file; only members of the file's conversation may have it. */
public record FileRef(String fileId, String userId) implements JsonRecord {
  public static FileRef fromJson(JsonObject json) {
    return new FileRef(Fields.uuid(json, "fileId"), Fields.uuid(json, "userId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("fileId", fileId).put("userId", userId);
  }
}
