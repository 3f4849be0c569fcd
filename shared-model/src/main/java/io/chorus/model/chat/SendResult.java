package io.chorus.model.chat;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * The reply to a send: the stored message's id and seq (the first ones again for a resend) and, for a new
 * question to the assistant, the {@code ai_thinking} event announcing its answer (null otherwise). The
 * event rides on the reply because a sender who joined the room a moment before sending may not yet be
 * known to the node that publishes it: the reply reaches the sender whatever the cluster's view.
 */
public record SendResult(String messageId, long seq, JsonObject aiThinking) implements JsonRecord {
  public SendResult(String messageId, long seq) {
    this(messageId, seq, null);
  }

  /** The answer's stream id, or null when nothing was asked. */
  public String streamId() {
    return aiThinking == null ? null : aiThinking.getString("streamId");
  }

  public static SendResult fromJson(JsonObject json) {
    return new SendResult(Fields.string(json, "messageId"), Fields.longValue(json, "seq"),
        json.getJsonObject("aiThinking"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("messageId", messageId).put("seq", seq);
    if (aiThinking != null) {
      json.put("streamId", streamId()).put("aiThinking", aiThinking);
    }
    return json;
  }
}
