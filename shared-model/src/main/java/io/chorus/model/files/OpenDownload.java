package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** Read {@code length} bytes of a stored file from {@code offset}, for a member of its conversation. */
public record OpenDownload(String fileId, String userId, long offset, long length) implements JsonRecord {
  public static OpenDownload fromJson(JsonObject json) {
    return new OpenDownload(Fields.uuid(json, "fileId"), Fields.uuid(json, "userId"),
        Fields.longValue(json, "offset"), Fields.longValue(json, "length"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("fileId", fileId).put("userId", userId).put("offset", offset).put("length", length);
  }
}
