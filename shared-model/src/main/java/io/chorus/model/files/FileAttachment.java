package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** The file a stored message announces: what {@code file_uploaded} and history show of it. */
public record FileAttachment(String fileId, String filename, String contentType, long size) implements JsonRecord {
  public static FileAttachment fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new FileAttachment(Fields.string(json, "fileId"), Fields.string(json, "filename"),
        Fields.string(json, "contentType"), Fields.longValue(json, "size"));
  }

  public String url() {
    return FileAddresses.url(fileId);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("fileId", fileId).put("filename", filename).put("contentType", contentType)
        .put("size", size);
  }
}
