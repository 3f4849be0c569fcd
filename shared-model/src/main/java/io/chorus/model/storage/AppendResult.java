package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** The stored message; {@code duplicate} when the clientMsgId was seen before and nothing new was stored. */
public record AppendResult(StoredMessage message, boolean duplicate) implements JsonRecord {
  public static AppendResult fromJson(JsonObject json) {
    return new AppendResult(StoredMessage.fromJson(json.getJsonObject("message")), Fields.bool(json, "duplicate", false));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("message", message.toJson()).put("duplicate", duplicate);
  }
}
