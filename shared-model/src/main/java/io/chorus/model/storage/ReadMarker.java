package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A member's read marker after a {@link MarkRead}: the effective {@code lastReadSeq} (the stored one when the
 * request was lower) and whether it {@code moved} (then the member's devices are told).
 */
public record ReadMarker(String conversationId, long lastReadSeq, boolean moved) implements JsonRecord {
  public static ReadMarker fromJson(JsonObject json) {
    return new ReadMarker(Fields.string(json, "conversationId"), Fields.longValue(json, "lastReadSeq"),
        Fields.bool(json, "moved", false));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("conversationId", conversationId).put("lastReadSeq", lastReadSeq).put("moved", moved);
  }

  /** The contract's reply: {@code {conversationId, lastReadSeq}}. */
  public JsonObject toReply() {
    return new JsonObject().put("conversationId", conversationId).put("lastReadSeq", lastReadSeq);
  }
}
