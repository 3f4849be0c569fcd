package io.chorus.model.files;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * An upload in progress: its id, the transfer address of the storage node that holds it, and how long
 * that node keeps an upload it hears nothing of ({@code FILE_SESSION_IDLE_MS}): the gateway speaks to it
 * well within that, with a chunk of whatever it has (possibly none), so a slow upload is never dropped.
 */
public record UploadTicket(String uploadId, String address, long idleMs) implements JsonRecord {
  /** What a storage node that does not say keeps an upload for (the default FILE_SESSION_IDLE_MS). */
  public static final long DEFAULT_IDLE_MS = 120_000;

  public static UploadTicket fromJson(JsonObject json) {
    Long idleMs = Fields.optLong(json, "idleMs");
    return new UploadTicket(Fields.string(json, "uploadId"), Fields.string(json, "address"),
        idleMs == null || idleMs <= 0 ? DEFAULT_IDLE_MS : idleMs);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("uploadId", uploadId).put("address", address).put("idleMs", idleMs);
  }
}
