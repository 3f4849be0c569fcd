package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A stored file as storage knows it: the sanitized name, the content type sniffed from its bytes, its
 * size and SHA-256 (hex), who uploaded it to which conversation.
 */
public record FileInfo(String fileId, String conversationId, String filename, String contentType, long size,
    String sha256, String uploaderId, String createdAt) implements JsonRecord {

  public static FileInfo fromJson(JsonObject json) {
    return new FileInfo(Fields.string(json, "fileId"), Fields.string(json, "conversationId"),
        Fields.string(json, "filename"), Fields.string(json, "contentType"), Fields.longValue(json, "size"),
        Fields.string(json, "sha256"), Fields.string(json, "uploaderId"), Fields.optString(json, "createdAt"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("fileId", fileId).put("conversationId", conversationId)
        .put("filename", filename).put("contentType", contentType).put("size", size).put("sha256", sha256)
        .put("uploaderId", uploaderId);
    return Fields.putIfPresent(json, "createdAt", createdAt);
  }
}
