package io.chorus.model.storage;

import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A user's token usage per conversation, per assistant and in total ({@code GET /api/usage}). */
public record UsageTotals(List<ConversationUsage> conversations, List<AssistantUsage> assistants)
    implements JsonRecord {

  public UsageTotals(List<ConversationUsage> conversations) {
    this(conversations, List.of());
  }

  public static UsageTotals fromJson(JsonObject json) {
    return new UsageTotals(
        json.getJsonArray("conversations", new JsonArray()).stream()
            .map(c -> ConversationUsage.fromJson((JsonObject) c)).toList(),
        json.getJsonArray("assistants", new JsonArray()).stream()
            .map(a -> AssistantUsage.fromJson((JsonObject) a)).toList());
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("conversations", new JsonArray(conversations.stream().map(ConversationUsage::toJson).toList()))
        .put("assistants", new JsonArray(assistants.stream().map(AssistantUsage::toJson).toList()))
        .put("promptTokens", conversations.stream().mapToLong(ConversationUsage::promptTokens).sum())
        .put("completionTokens", conversations.stream().mapToLong(ConversationUsage::completionTokens).sum());
  }
}
