package io.chorus.model.chat;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Persisted events as room events (ascending seq), the conversation's last seq, and in
 * {@code streams} the answers still being generated with their text so far.
 */
public record HistoryReply(JsonArray messages, long lastSeq, JsonArray streams) implements JsonRecord {
  public static HistoryReply fromJson(JsonObject json) {
    return new HistoryReply(
        json.getJsonArray("messages", new JsonArray()),
        Fields.longValue(json, "lastSeq"),
        json.getJsonArray("streams", new JsonArray()));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("messages", messages).put("lastSeq", lastSeq).put("streams", streams);
  }
}
