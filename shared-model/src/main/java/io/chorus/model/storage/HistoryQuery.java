package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A page of persisted events, ascending by seq: after {@code afterSeq}, or the last ones before
 * {@code beforeSeq}, or the latest when neither is set. When {@code userId} is set the reader must be
 * a member (403/404); services reading for themselves leave it null.
 */
public record HistoryQuery(String conversationId, String userId, Long afterSeq, Long beforeSeq, int limit)
    implements JsonRecord {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public static HistoryQuery fromJson(JsonObject json) {
    Integer limit = Fields.optInt(json, "limit");
    return new HistoryQuery(
        Fields.uuid(json, "conversationId"),
        Fields.optString(json, "userId"),
        Fields.optLong(json, "afterSeq"),
        Fields.optLong(json, "beforeSeq"),
        limit == null ? DEFAULT_LIMIT : limit);
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("conversationId", conversationId).put("limit", limit);
    Fields.putIfPresent(json, "userId", userId);
    Fields.putIfPresent(json, "afterSeq", afterSeq);
    return Fields.putIfPresent(json, "beforeSeq", beforeSeq);
  }
}
