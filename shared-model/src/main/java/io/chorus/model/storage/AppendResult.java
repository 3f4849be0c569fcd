package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * The stored message; {@code duplicate} when the clientMsgId was seen before and nothing new was stored. For a
 * message newly stored, what the chat service needs of its conversation to ask the assistant, read by the same
 * statement so a question costs no second read of the conversation: {@code answersEveryMessage} when its
 * assistant answers every member message, and {@code conversationAssistant}, the profile id it is set to (null: the
 * default assistant).
 */
public record AppendResult(StoredMessage message, boolean duplicate, boolean answersEveryMessage,
    String conversationAssistant) implements JsonRecord {
  public AppendResult(StoredMessage message, boolean duplicate) {
    this(message, duplicate, false, null);
  }

  public static AppendResult fromJson(JsonObject json) {
    return new AppendResult(StoredMessage.fromJson(json.getJsonObject("message")), Fields.bool(json, "duplicate", false),
        Fields.bool(json, "answersEveryMessage", false), Fields.optString(json, "conversationAssistant"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("message", message.toJson()).put("duplicate", duplicate)
        .put("answersEveryMessage", answersEveryMessage);
    return conversationAssistant == null ? json : json.put("conversationAssistant", conversationAssistant);
  }
}
