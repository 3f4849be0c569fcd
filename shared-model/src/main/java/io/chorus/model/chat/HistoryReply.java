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

  /**
   * Whether history holds events after this page, read after a seq: it ends below the conversation's last seq. Not
   * "the page was full": a member's page also stops at its byte budget ({@code HistoryQuery.MEMBER_PAGE_BYTES}), and
   * history has no gaps.
   */
  public boolean endsBeforeLastSeq() {
    return !messages.isEmpty()
        && messages.getJsonObject(messages.size() - 1).getLong("seq", Long.MAX_VALUE) < lastSeq;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("messages", messages).put("lastSeq", lastSeq).put("streams", streams);
  }
}
