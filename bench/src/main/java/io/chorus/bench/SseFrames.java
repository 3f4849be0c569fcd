package io.chorus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The OpenAI streaming wire format the fake provider writes: each server-sent event is {@code data: <json>}
 * and a blank line; a first chunk announcing the role, one chunk per delta, a chunk with
 * {@code finish_reason}, a usage chunk when asked for, then {@code data: [DONE]}.
 */
public final class SseFrames {
  public static final String DONE = "data: [DONE]\n\n";

  private final String id;
  private final String model;
  private final long created;

  public SseFrames(String id, String model, long createdEpochSeconds) {
    this.id = id;
    this.model = model;
    this.created = createdEpochSeconds;
  }

  public String role() {
    return event(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
  }

  public String delta(String content) {
    return event(chunk(new JsonObject().put("content", content), null));
  }

  public String finish(String reason) {
    return event(chunk(new JsonObject(), reason));
  }

  public String usage(int promptTokens, int completionTokens) {
    JsonObject usage = new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    return event(envelope().put("choices", new JsonArray()).put("usage", usage));
  }

  static String event(JsonObject data) {
    return "data: " + data.encode() + "\n\n";
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finishReason);
    return envelope().put("choices", new JsonArray().add(choice));
  }

  private JsonObject envelope() {
    return new JsonObject().put("id", "chatcmpl-bench-" + id).put("object", "chat.completion.chunk")
        .put("created", created).put("model", model);
  }
}
