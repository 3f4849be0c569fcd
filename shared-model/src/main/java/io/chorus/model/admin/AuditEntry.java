package io.chorus.model.admin;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * One admin call for the audit table: who ({@code actorId}, null for the command line), what ({@code action},
 * e.g. {@code user.suspend}), to which {@code target} (a user id, an announcement id; may be null) and any
 * {@code detail}.
 */
public record AuditEntry(String actorId, String action, String target, JsonObject detail) implements JsonRecord {
  public static AuditEntry fromJson(JsonObject json) {
    return new AuditEntry(Fields.optString(json, "actorId"), Fields.string(json, "action"),
        Fields.optString(json, "target"), json.getJsonObject("detail"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("action", action);
    Fields.putIfPresent(json, "actorId", actorId);
    Fields.putIfPresent(json, "target", target);
    Fields.putIfPresent(json, "detail", detail);
    return json;
  }
}
