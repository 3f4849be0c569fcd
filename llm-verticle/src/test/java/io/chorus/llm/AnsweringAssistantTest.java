package io.chorus.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnsweringAssistantTest {
  private final List<AppendMessage> appended = new ArrayList<>();
  private final List<JsonObject> published = new ArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private final ConversationPort port = new ConversationPort() {
    @Override
    public Future<List<StoredMessage>> messagesUpTo(String conversationId, Long upToSeq, int limit) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<StoredMessage> append(AppendMessage m) {
      appended.add(m);
      return Future.succeededFuture(new StoredMessage("id", m.conversationId(), 1, m.role(), null, null, m.content(),
          null, m.replyTo(), m.streamId(), m.finishReason(), null, null, m.usage(), null, null, null,
          m.assistantId(), m.model()));
    }

    @Override
    public void publish(String conversationId, JsonObject event) {
      published.add(event);
    }
  };

  @Test
  void storedAnswersNameTheAssistantAndModelAndCountTokensUnderIt() {
    AnsweringAssistant visa = new AnsweringAssistant(port, "visa", "big-model", meters);
    StoredMessage stored = visa.append(AppendMessage.assistant("c", "q", "s", "text", FinishReason.STOP, new Usage(10, 4, false)))
        .result();
    assertThat(appended.get(0).assistantId()).isEqualTo("visa");
    assertThat(appended.get(0).model()).isEqualTo("big-model");
    assertThat(stored.toEvent().getString("assistantId")).isEqualTo("visa");
    assertThat(meters.get("chorus.llm.tokens").tag("assistant", "visa").tag("kind", "prompt").counter().count())
        .isEqualTo(10);
    assertThat(meters.get("chorus.llm.tokens").tag("assistant", "visa").tag("kind", "completion").counter().count())
        .isEqualTo(4);
  }

  @Test
  void anErrorThatStoredNothingStillSaysWhoseAnswerFailed() {
    AnsweringAssistant visa = new AnsweringAssistant(port, "visa", "big-model", meters);
    visa.publish("c", RoomEvents.aiError("c", "s", 503, "down", null));
    visa.publish("c", RoomEvents.aiChunk("c", "s", 0, "x"));
    assertThat(published.get(0).getString("assistantId")).isEqualTo("visa");
    assertThat(published.get(1).containsKey("assistantId")).as("chunks stay small").isFalse();
  }
}
