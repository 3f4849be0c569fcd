package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Stored messages ascending by seq, and the conversation's last seq at the time of reading. */
public record HistoryPage(List<StoredMessage> messages, long lastSeq) implements JsonRecord {
  public static HistoryPage fromJson(JsonObject json) {
    return new HistoryPage(
        json.getJsonArray("messages", new JsonArray()).stream()
            .map(m -> StoredMessage.fromJson((JsonObject) m)).toList(),
        Fields.longValue(json, "lastSeq"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("messages", new JsonArray(messages.stream().map(StoredMessage::toJson).toList()))
        .put("lastSeq", lastSeq);
  }
}
