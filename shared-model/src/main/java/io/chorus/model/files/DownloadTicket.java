package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** An open download: its id and the transfer address of the storage node that reads it. */
public record DownloadTicket(String downloadId, String address) implements JsonRecord {
  public static DownloadTicket fromJson(JsonObject json) {
    return new DownloadTicket(Fields.string(json, "downloadId"), Fields.string(json, "address"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("downloadId", downloadId).put("address", address);
  }
}
