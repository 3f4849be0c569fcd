package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** A stored file and the message that announced it: the body of the upload's 201. */
public record UploadResult(String fileId, String messageId, long seq, String url) implements JsonRecord {
  public static UploadResult fromJson(JsonObject json) {
    return new UploadResult(Fields.string(json, "fileId"), Fields.string(json, "messageId"),
        Fields.longValue(json, "seq"), Fields.string(json, "url"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("fileId", fileId).put("messageId", messageId).put("seq", seq).put("url", url);
  }
}
