package io.chorus.model.storage;

import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** A member left or was removed: the stored notice (with its seq) and the conversation as it is now. */
public record MemberRemoved(StoredMessage notice, ConversationInfo conversation) implements JsonRecord {
  public static MemberRemoved fromJson(JsonObject json) {
    return new MemberRemoved(StoredMessage.fromJson(json.getJsonObject("notice")),
        ConversationInfo.fromJson(json.getJsonObject("conversation")));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("notice", notice.toJson()).put("conversation", conversation.toJson());
  }
}
