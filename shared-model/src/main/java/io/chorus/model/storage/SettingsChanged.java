package io.chorus.model.storage;

import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** The conversation's settings changed: the stored {@code conversation_settings_changed} notice and the conversation now. */
public record SettingsChanged(StoredMessage notice, ConversationInfo conversation) implements JsonRecord {
  public static SettingsChanged fromJson(JsonObject json) {
    return new SettingsChanged(StoredMessage.fromJson(json.getJsonObject("notice")),
        ConversationInfo.fromJson(json.getJsonObject("conversation")));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("notice", notice.toJson()).put("conversation", conversation.toJson());
  }
}
