package io.chorus.model.storage;

import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A user's conversations, newest activity first. */
public record ConversationList(List<ConversationInfo> conversations) implements JsonRecord {
  public static ConversationList fromJson(JsonObject json) {
    return new ConversationList(json.getJsonArray("conversations", new JsonArray()).stream()
        .map(c -> ConversationInfo.fromJson((JsonObject) c)).toList());
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("conversations", new JsonArray(conversations.stream().map(ConversationInfo::toJson).toList()));
  }
}
