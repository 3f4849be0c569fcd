package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * The stored message; {@code duplicate} when the clientMsgId was seen before and nothing new was stored;
 * {@code answersEveryMessage} when its conversation's assistant answers every member message (so the chat service
 * asks it without another read of the conversation).
 */
public record AppendResult(StoredMessage message, boolean duplicate, boolean answersEveryMessage)
    implements JsonRecord {
  public AppendResult(StoredMessage message, boolean duplicate) {
    this(message, duplicate, false);
  }

  public static AppendResult fromJson(JsonObject json) {
    return new AppendResult(StoredMessage.fromJson(json.getJsonObject("message")), Fields.bool(json, "duplicate", false),
        Fields.bool(json, "answersEveryMessage", false));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("message", message.toJson()).put("duplicate", duplicate)
        .put("answersEveryMessage", answersEveryMessage);
  }
}
