package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** A member starts uploading a file to a conversation; nothing about the file is known yet. */
public record BeginUpload(String conversationId, String userId) implements JsonRecord {
  public static BeginUpload fromJson(JsonObject json) {
    return new BeginUpload(Fields.uuid(json, "conversationId"), Fields.uuid(json, "userId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("conversationId", conversationId).put("userId", userId);
  }
}
