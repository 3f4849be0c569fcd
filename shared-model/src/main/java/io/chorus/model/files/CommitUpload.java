package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * Every chunk is in: store the file and announce it. {@code filename} is the client's, unsanitized
 * (storage sanitizes it); {@code text} is the optional message that goes with the file.
 */
public record CommitUpload(String filename, String text) implements JsonRecord {
  public static CommitUpload fromJson(JsonObject json) {
    return new CommitUpload(Fields.optString(json, "filename"), Fields.optString(json, "text"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    Fields.putIfPresent(json, "filename", filename);
    return Fields.putIfPresent(json, "text", text);
  }
}
