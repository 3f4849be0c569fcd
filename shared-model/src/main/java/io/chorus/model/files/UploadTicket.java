package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** An upload in progress: its id and the transfer address of the storage node that holds it. */
public record UploadTicket(String uploadId, String address) implements JsonRecord {
  public static UploadTicket fromJson(JsonObject json) {
    return new UploadTicket(Fields.string(json, "uploadId"), Fields.string(json, "address"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("uploadId", uploadId).put("address", address);
  }
}
