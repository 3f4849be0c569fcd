package io.chorus.model.chat;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** The reply to a send: the stored message's id and seq (the first ones again for a resend). */
public record SendResult(String messageId, long seq) implements JsonRecord {
  public static SendResult fromJson(JsonObject json) {
    return new SendResult(Fields.string(json, "messageId"), Fields.longValue(json, "seq"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("messageId", messageId).put("seq", seq);
  }
}
