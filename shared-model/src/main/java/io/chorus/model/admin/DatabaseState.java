package io.chorus.model.admin;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * The database as the storage service sees it, for the admin's cluster view: the server's version, the schema
 * version Flyway applied, the database's size and its open connections.
 */
public record DatabaseState(String serverVersion, String schemaVersion, long sizeBytes, int connections)
    implements JsonRecord {
  public static DatabaseState fromJson(JsonObject json) {
    return new DatabaseState(Fields.string(json, "serverVersion"), Fields.optString(json, "schemaVersion"),
        Fields.longValue(json, "sizeBytes"), json.getInteger("connections", 0));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("serverVersion", serverVersion).put("sizeBytes", sizeBytes)
        .put("connections", connections);
    return Fields.putIfPresent(json, "schemaVersion", schemaVersion);
  }
}
