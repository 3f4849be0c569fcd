package io.chorus.chat;

import io.chorus.model.ChorusException;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.llm.StopResult;
import io.chorus.model.llm.StopStream;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.MessageRef;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** An in-memory storage, LLM and room for ChatService tests. */
final class FakeChatPorts implements ChatPorts {
  final Set<String> members = new HashSet<>();
  final List<StoredMessage> stored = new ArrayList<>();
  /** What was asked to be stored, as asked (the fake's StoredMessage keeps no assistant). */
  final List<AppendMessage> appended = new ArrayList<>();
  final Map<String, StoredMessage> byClientMsgId = new HashMap<>();
  final List<JsonObject> published = new ArrayList<>();
  final List<StartCompletion> completions = new ArrayList<>();
  boolean llmAvailable = true;
  /** The conversation's answersEveryMessage, as an append reports it. */
  boolean answersEveryMessage;
  /** The conversation's assistant profile id, as storage would give it (null: none recorded). */
  String conversationAssistant;
  /** Reads of the conversation's assistant on their own (an append reports it too). */
  int assistantLookups;
  /** Starts that reach a worker but whose reply never comes back in time. */
  boolean llmReplyTimesOut;
  int startAttempts;
  /** What a worker does with a start it receives (e.g. register the stream). */
  Consumer<StartCompletion> onStart = request -> {};
  boolean workerAlive = true;
  final List<StopStream> stopsSent = new ArrayList<>();
  /** Set: the worker carries out a stop but its reply times out. */
  Runnable onSlowStop;

  @Override
  public Future<AppendResult> append(AppendMessage m) {
    appended.add(m);
    if (m.userId() != null && !members.contains(m.userId())) {
      return Future.failedFuture(ChorusException.forbidden("not a member"));
    }
    StoredMessage first = m.clientMsgId() == null ? null : byClientMsgId.get(m.clientMsgId());
    if (first != null) {
      return Future.succeededFuture(new AppendResult(first, true));
    }
    StoredMessage s = new StoredMessage(UUID.randomUUID().toString(), m.conversationId(), stored.size() + 1,
        m.role(), m.userId(), m.userId() == null ? null : "alice", m.content(), m.clientMsgId(), m.replyTo(),
        m.streamId(), m.finishReason(), m.errorCode(), m.error(), m.usage(), "now", null, null, m.assistantId(),
        m.model(), m.stoppedBy());
    stored.add(s);
    if (m.clientMsgId() != null) {
      byClientMsgId.put(m.clientMsgId(), s);
    }
    return Future.succeededFuture(new AppendResult(s, false, answersEveryMessage, conversationAssistant));
  }

  @Override
  public Future<HistoryPage> history(HistoryQuery query) {
    List<StoredMessage> page = stored.stream()
        .filter(s -> query.afterSeq() == null || s.seq() > query.afterSeq())
        .limit(query.limit())
        .toList();
    return Future.succeededFuture(new HistoryPage(page, stored.size()));
  }

  @Override
  public Future<StoredMessage> message(MessageRef ref) {
    if (!members.contains(ref.userId())) {
      return Future.failedFuture(ChorusException.forbidden("not a member"));
    }
    return stored.stream().filter(m -> m.messageId().equals(ref.messageId())).findFirst()
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ChorusException.notFound("no such message in this conversation")));
  }

  /** Stores a message as storage would, for tests that need one of a kind chat never writes itself. */
  StoredMessage add(StoredMessage message) {
    stored.add(message);
    return message;
  }

  @Override
  public Future<Void> checkMember(MemberRef member) {
    return members.contains(member.userId())
        ? Future.succeededFuture()
        : Future.failedFuture(ChorusException.forbidden("not a member"));
  }

  @Override
  public Future<String> assistantOf(MemberRef member) {
    assistantLookups++;
    return members.contains(member.userId()) ? Future.succeededFuture(conversationAssistant)
        : Future.failedFuture(ChorusException.forbidden("not a member"));
  }

  @Override
  public Future<Void> startCompletion(StartCompletion request) {
    startAttempts++;
    if (llmReplyTimesOut) {
      completions.add(request);
      onStart.accept(request);
      return Future.failedFuture(ChorusException.timedOut("llm.completion.start timed out"));
    }
    if (!llmAvailable) {
      return Future.failedFuture(ChorusException.unavailable("llm.completion.start is unavailable"));
    }
    completions.add(request);
    return Future.succeededFuture();
  }

  @Override
  public Future<StopResult> stopOnWorker(String workerId, StopStream request) {
    if (onSlowStop != null) {
      stopsSent.add(request);
      onSlowStop.run(); // the worker stops it, but its reply comes too late
      return Future.failedFuture(ChorusException.timedOut("llm.worker." + workerId + ".stop timed out"));
    }
    if (!workerAlive) {
      return Future.failedFuture(ChorusException.unavailable("llm.worker." + workerId + ".stop is unavailable"));
    }
    stopsSent.add(request);
    return Future.succeededFuture(new StopResult(true));
  }

  @Override
  public void publish(String conversationId, JsonObject event) {
    published.add(event);
  }

  List<String> publishedTypes() {
    return published.stream().map(e -> e.getString("type")).toList();
  }
}
