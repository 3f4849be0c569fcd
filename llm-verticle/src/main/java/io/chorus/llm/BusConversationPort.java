package io.chorus.llm;

import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@link ConversationPort} over the clustered event bus: reads {@code storage.message.history}, writes
 * {@code storage.message.append} and publishes to {@code conv.<id>.events}.
 */
public final class BusConversationPort implements ConversationPort {
  private final EventBus bus;

  public BusConversationPort(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public Future<List<StoredMessage>> messagesUpTo(String conversationId, Long upToSeq, int limit) {
    // No userId: the worker reads for itself, membership was checked when the question was sent.
    return Bus.request(bus, Addresses.STORAGE_MESSAGE_HISTORY,
            HistoryQuery.internal(conversationId, null, upToSeq == null ? null : upToSeq + 1, limit))
        .map(HistoryPage::messages);
  }

  @Override
  public Future<StoredMessage> append(AppendMessage message) {
    return Bus.request(bus, Addresses.STORAGE_MESSAGE_APPEND, message).map(AppendResult::message);
  }

  @Override
  public void publish(String conversationId, JsonObject event) {
    bus.publish(Addresses.conversationEvents(conversationId), event);
  }
}
