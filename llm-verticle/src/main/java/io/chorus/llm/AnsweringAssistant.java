package io.chorus.llm;

import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.StoredMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@link ConversationPort} of one assistant profile's answers: every answer it stores is marked with
 * the profile and model that gave it (so {@code ai_response_complete} and history say who answered), and its
 * tokens are counted under the profile's id ({@code chorus.llm.tokens{assistant, kind}}; a bounded label
 * set, the profiles of the file). Reading and publishing pass through unchanged.
 */
final class AnsweringAssistant implements ConversationPort {
  private final ConversationPort port;
  private final String assistantId;
  private final String model;
  private final Counter promptTokens;
  private final Counter completionTokens;

  AnsweringAssistant(ConversationPort port, String assistantId, String model, MeterRegistry meters) {
    this.port = port;
    this.assistantId = assistantId;
    this.model = model;
    this.promptTokens = tokens(meters, assistantId, "prompt");
    this.completionTokens = tokens(meters, assistantId, "completion");
  }

  private static Counter tokens(MeterRegistry meters, String assistantId, String kind) {
    return Counter.builder("chorus.llm.tokens").description("tokens of stored answers, by assistant profile")
        .tag("assistant", assistantId).tag("kind", kind).register(meters);
  }

  @Override
  public Future<List<StoredMessage>> messagesUpTo(String conversationId, Long upToSeq, int limit) {
    return port.messagesUpTo(conversationId, upToSeq, limit);
  }

  @Override
  public Future<StoredMessage> append(AppendMessage message) {
    return port.append(message.answeredBy(assistantId, model)).onSuccess(stored -> {
      if (stored.usage() != null) {
        promptTokens.increment(stored.usage().promptTokens());
        completionTokens.increment(stored.usage().completionTokens());
      }
    });
  }

  /** An error that stored nothing still says whose answer failed. */
  @Override
  public void publish(String conversationId, JsonObject event) {
    if (RoomEvents.AI_RESPONSE_ERROR.equals(event.getString("type")) && !event.containsKey("assistantId")) {
      event.put("assistantId", assistantId).put("model", model);
    }
    port.publish(conversationId, event);
  }
}
