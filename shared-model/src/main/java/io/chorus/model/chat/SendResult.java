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
public record SendResult(String messageId, long seq, JsonObject aiThinking, JsonObject aiRefused)
    implements JsonRecord {
  public SendResult(String messageId, long seq) {
    this(messageId, seq, null, null);
  }

  public SendResult(String messageId, long seq, JsonObject aiThinking) {
    this(messageId, seq, aiThinking, null);
  }

  /**
   * A message stored in a conversation whose assistant answers every message, that the assistant was not asked
   * for: {@code code} and {@code error} say why (429 over the sender's question limits).
   */
  public static SendResult notAsked(String messageId, long seq, int code, String error) {
    return new SendResult(messageId, seq, null, new JsonObject().put("code", code).put("error", error));
  }

  /** The answer's stream id, or null when nothing was asked. */
  public String streamId() {
    return aiThinking == null ? null : aiThinking.getString("streamId");
  }

  public static SendResult fromJson(JsonObject json) {
    return new SendResult(Fields.string(json, "messageId"), Fields.longValue(json, "seq"),
        json.getJsonObject("aiThinking"), json.getJsonObject("aiRefused"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("messageId", messageId).put("seq", seq);
    if (aiThinking != null) {
      json.put("streamId", streamId()).put("aiThinking", aiThinking);
    }
    if (aiRefused != null) {
      json.put("aiRefused", aiRefused);
    }
    return json;
  }
}
