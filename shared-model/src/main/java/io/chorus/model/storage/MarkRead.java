package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A member ({@code userId}, stamped by the gateway) has seen the conversation up to {@code seq}. The marker only
 * moves forward; {@code seq} above the conversation's last seq, or below 0, is a 400.
 */
public record MarkRead(String conversationId, String userId, long seq) implements JsonRecord {
  public static MarkRead fromJson(JsonObject json) {
    return new MarkRead(Fields.uuid(json, "conversationId"), Fields.uuid(json, "userId"), Fields.longValue(json, "seq"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("conversationId", conversationId).put("userId", userId).put("seq", seq);
  }
}
