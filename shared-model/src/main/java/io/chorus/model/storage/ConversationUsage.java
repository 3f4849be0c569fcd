package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * Tokens spent on the answers one user asked for in one conversation (their questions, and answers they asked for
 * again), on every ending (complete, cancelled, failed, worker lost); {@code estimatedAnswers} counts the answers
 * whose usage was estimated.
 */
public record ConversationUsage(
    String conversationId, String title, long answers, long promptTokens, long completionTokens,
    long estimatedAnswers)
    implements JsonRecord {

  public static ConversationUsage fromJson(JsonObject json) {
    return new ConversationUsage(Fields.string(json, "conversationId"), Fields.string(json, "title"),
        Fields.longValue(json, "answers"), Fields.longValue(json, "promptTokens"),
        Fields.longValue(json, "completionTokens"), Fields.longValue(json, "estimatedAnswers"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("conversationId", conversationId).put("title", title).put("answers", answers)
        .put("promptTokens", promptTokens).put("completionTokens", completionTokens)
        .put("estimatedAnswers", estimatedAnswers);
  }
}
