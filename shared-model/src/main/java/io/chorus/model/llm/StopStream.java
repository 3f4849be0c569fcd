package io.chorus.model.llm;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** A member stops an answer ({@code client.chat.stop}); {@code userId} is stamped by the gateway. */
public record StopStream(String conversationId, String streamId, String userId) implements JsonRecord {
  public static StopStream fromJson(JsonObject json) {
    return new StopStream(Fields.uuid(json, "conversationId"), Fields.string(json, "streamId"),
        Fields.optString(json, "userId"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("conversationId", conversationId).put("streamId", streamId);
    return Fields.putIfPresent(json, "userId", userId);
  }
}
