package io.chorus.model.chat;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** A member asks for persisted events after or before a seq ({@code client.chat.history}). */
public record HistoryRequest(String conversationId, String userId, Long afterSeq, Long beforeSeq, Integer limit)
    implements JsonRecord {

  public static HistoryRequest fromJson(JsonObject json) {
    return new HistoryRequest(
        Fields.uuid(json, "conversationId"),
        Fields.uuid(json, "userId"),
        Fields.optLong(json, "afterSeq"),
        Fields.optLong(json, "beforeSeq"),
        Fields.optInt(json, "limit"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("conversationId", conversationId).put("userId", userId);
    Fields.putIfPresent(json, "afterSeq", afterSeq);
    Fields.putIfPresent(json, "beforeSeq", beforeSeq);
    return Fields.putIfPresent(json, "limit", limit);
  }
}
