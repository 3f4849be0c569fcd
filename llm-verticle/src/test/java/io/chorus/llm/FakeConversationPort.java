package io.chorus.llm;

import io.chorus.model.ChorusException;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An in-memory {@link ConversationPort}: answers at once, records what the session stores and publishes. */
final class FakeConversationPort implements ConversationPort {
  final List<StoredMessage> history = new ArrayList<>();
  final List<AppendMessage> appended = new ArrayList<>();
  final List<JsonObject> events = new ArrayList<>();
  boolean failHistory;
  boolean failAppend;
  long nextSeq = 10;

  @Override
  public Future<List<StoredMessage>> messagesUpTo(String conversationId, Long upToSeq, int limit) {
    if (failHistory) {
      return Future.failedFuture(ChorusException.unavailable("storage.message.history timed out"));
    }
    List<StoredMessage> upTo = history.stream().filter(m -> upToSeq == null || m.seq() <= upToSeq).toList();
    return Future.succeededFuture(upTo.subList(Math.max(0, upTo.size() - limit), upTo.size()));
  }

  @Override
  public Future<StoredMessage> append(AppendMessage m) {
    appended.add(m);
    if (failAppend) {
      return Future.failedFuture(ChorusException.unavailable("storage.message.append timed out"));
    }
    return Future.succeededFuture(new StoredMessage(UUID.randomUUID().toString(), m.conversationId(), nextSeq++,
        m.role(), m.userId(), null, m.content(), m.clientMsgId(), m.replyTo(), m.streamId(), m.finishReason(),
        m.errorCode(), m.error(), m.usage(), "2025-01-01T00:00:00Z", null, null, m.assistantId(), m.model(),
        m.stoppedBy()));
  }

  @Override
  public void publish(String conversationId, JsonObject event) {
    events.add(event.copy());
  }

  JsonObject lastEvent() {
    return events.get(events.size() - 1);
  }

  List<JsonObject> eventsOfType(String type) {
    return events.stream().filter(e -> type.equals(e.getString("type"))).toList();
  }

  static StoredMessage userMessage(String conversationId, long seq, String content) {
    return new StoredMessage(UUID.randomUUID().toString(), conversationId, seq, AppendMessage.ROLE_USER, "u1", "alice",
        content, null, null, null, null, null, null, null, null);
  }

  static StoredMessage assistantMessage(String conversationId, long seq, String content, String finishReason) {
    return new StoredMessage(UUID.randomUUID().toString(), conversationId, seq, AppendMessage.ROLE_ASSISTANT, null, null,
        content, null, null, "s-" + seq, finishReason, null, null, null, null);
  }
}
