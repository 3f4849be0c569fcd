package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * Tokens spent on the answers one user asked for, by one assistant profile, across conversations;
 * {@code assistantId} is null for answers stored before assistants existed.
 */
public record AssistantUsage(String assistantId, long answers, long promptTokens, long completionTokens)
    implements JsonRecord {

  public static AssistantUsage fromJson(JsonObject json) {
    return new AssistantUsage(Fields.optString(json, "assistantId"), Fields.longValue(json, "answers"),
        Fields.longValue(json, "promptTokens"), Fields.longValue(json, "completionTokens"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("assistantId", assistantId).put("answers", answers)
        .put("promptTokens", promptTokens).put("completionTokens", completionTokens);
  }
}
