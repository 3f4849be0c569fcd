package io.chorus.model.storage;

import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** The conversation's assistant changed: the stored {@code assistant_changed} notice and the conversation now. */
public record AssistantChanged(StoredMessage notice, ConversationInfo conversation) implements JsonRecord {
  public static AssistantChanged fromJson(JsonObject json) {
    return new AssistantChanged(StoredMessage.fromJson(json.getJsonObject("notice")),
        ConversationInfo.fromJson(json.getJsonObject("conversation")));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("notice", notice.toJson()).put("conversation", conversation.toJson());
  }
}
