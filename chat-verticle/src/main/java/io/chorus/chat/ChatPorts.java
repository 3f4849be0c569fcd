package io.chorus.chat;

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

/**
 * What {@link ChatService} needs from the rest of the system. The verticle backs them with the event
 * bus; unit tests back them with in-memory fakes.
 */
interface ChatPorts {
  Future<AppendResult> append(AppendMessage message);

  Future<HistoryPage> history(HistoryQuery query);

  /** One message of the conversation, for a member: fails 403 non-member, 404 unknown conversation or message. */
  Future<StoredMessage> message(MessageRef ref);

  /** Succeeds for a member; fails 403 / 404 otherwise. */
  Future<Void> checkMember(MemberRef member);

  /**
   * The conversation's assistant profile id for a member (null: the conversation names none, the first
   * profile answers); fails 403 / 404 like {@link #checkMember}.
   */
  Future<String> assistantOf(MemberRef member);

  /**
   * Starts an answer on some LLM worker serving the request's assistant; fails 503 when none is available.
   */
  Future<Void> startCompletion(StartCompletion request);

  /** Asks the worker that owns a stream to stop it; fails 503 when that worker is gone. */
  Future<StopResult> stopOnWorker(String workerId, StopStream request);

  /** Publishes a room event to every gateway that has members of the conversation online. */
  void publish(String conversationId, JsonObject event);
}
