package io.chorus.chat;

import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.llm.StopResult;
import io.chorus.model.llm.StopStream;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.MessageRef;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** {@link ChatPorts} over the clustered event bus: storage, LLM workers and room events. */
final class BusChatPorts implements ChatPorts {
  private final EventBus bus;

  BusChatPorts(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public Future<AppendResult> append(AppendMessage message) {
    return Bus.request(bus, Addresses.STORAGE_MESSAGE_APPEND, message);
  }

  @Override
  public Future<HistoryPage> history(HistoryQuery query) {
    return Bus.request(bus, Addresses.STORAGE_MESSAGE_HISTORY, query);
  }

  @Override
  public Future<StoredMessage> message(MessageRef ref) {
    return Bus.request(bus, Addresses.STORAGE_MESSAGE_GET, ref);
  }

  @Override
  public Future<Void> checkMember(MemberRef member) {
    return Bus.request(bus, Addresses.STORAGE_MEMBER_CHECK, member).mapEmpty();
  }

  @Override
  public Future<String> assistantOf(MemberRef member) {
    return Bus.request(bus, Addresses.STORAGE_CONVERSATION_GET, member).map(ConversationInfo::assistantId);
  }

  @Override
  public Future<Void> startCompletion(StartCompletion request) {
    return Bus.request(bus, request.assistantId() == null ? Addresses.LLM_COMPLETION_START
        : Addresses.llmAssistantStart(request.assistantId()), request).mapEmpty();
  }

  @Override
  public Future<StopResult> stopOnWorker(String workerId, StopStream request) {
    return Bus.request(bus, Addresses.llmWorkerStop(workerId), request);
  }

  @Override
  public void publish(String conversationId, JsonObject event) {
    bus.publish(Addresses.conversationEvents(conversationId), event);
  }
}
