package io.chorus.gateway.bridge;

import io.chorus.gateway.ClusterClient;
import io.chorus.gateway.http.AssistantApi;
import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.ChorusException;
import io.chorus.model.ClientAddresses;
import io.chorus.model.ErrorCode;
import io.chorus.model.Fields;
import io.chorus.model.chat.HistoryRequest;
import io.chorus.model.chat.RegenerateAnswer;
import io.chorus.model.chat.SendMessage;
import io.chorus.model.chat.TypingUpdate;
import io.chorus.model.llm.StopStream;
import io.chorus.model.storage.MarkRead;
import io.chorus.model.storage.ReadMarker;
import io.chorus.model.storage.MemberRef;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The {@code client.*} request addresses, consumed on the gateway-local bus: each turns a bridged
 * frame into a request to a service, with the caller taken from the headers the bridge rules stamped.
 * Failures reach the client as {@code err} frames with the contract's code.
 */
public final class ClientRequests {
  private final ClusterClient cluster;
  private final Presence presence;
  private final AssistantApi assistants;

  public ClientRequests(ClusterClient cluster, Presence presence, AssistantApi assistants) {
    this.cluster = cluster;
    this.presence = presence;
    this.assistants = assistants;
  }

  public List<Future<Void>> register(EventBus localBus) {
    return List.of(
        consume(localBus, ClientAddresses.CONVERSATION_JOIN, this::join),
        consume(localBus, ClientAddresses.CONVERSATION_LEAVE, this::leave),
        consume(localBus, ClientAddresses.CHAT_SEND, this::send),
        consume(localBus, ClientAddresses.CHAT_TYPING, this::typing),
        consume(localBus, ClientAddresses.CHAT_HISTORY, this::history),
        consume(localBus, ClientAddresses.CHAT_STOP, this::stop),
        consume(localBus, ClientAddresses.CONVERSATION_UPDATE, this::update),
        consume(localBus, ClientAddresses.CONVERSATION_READ, this::read),
        consume(localBus, ClientAddresses.CHAT_REGENERATE, this::regenerate));
  }

  private Future<JsonObject> join(JsonObject body, Caller caller) {
    return cluster.request(Addresses.STORAGE_CONVERSATION_VIEW,
            new MemberRef(Fields.uuid(body, "conversationId"), caller.userId()))
        .compose(conversation -> presence.online(conversation.conversationId())
            .map(online -> Fields.putIfPresent(new JsonObject()
                .put("conversationId", conversation.conversationId())
                .put("lastSeq", conversation.lastSeq())
                .put("members", conversation.toJson().getJsonArray("members"))
                .put("online", online)
                .put("answersEveryMessage", conversation.answersEveryMessage())
                .put("lastReadSeq", conversation.viewer() == null ? 0 : conversation.viewer().lastReadSeq())
                .put("unreadCount", conversation.viewer() == null ? 0 : conversation.viewer().unreadCount()),
                "assistantId", conversation.assistantId())));
  }

  /** As {@code POST /api/conversations/{id}/read}: {@code {conversationId, lastReadSeq}}. */
  private Future<JsonObject> read(JsonObject body, Caller caller) {
    return cluster.request(Addresses.STORAGE_MEMBER_READ,
            new MarkRead(Fields.uuid(body, "conversationId"), caller.userId(), Fields.longValue(body, "seq")))
        .map(ReadMarker::toReply);
  }

  /**
   * The socket left the room (the bridge rules took it out as the frame passed); the user stays a member. A
   * member leaves a conversation for good with {@code DELETE /api/conversations/{id}/members/{ownId}}.
   */
  private Future<JsonObject> leave(JsonObject body, Caller caller) {
    return cluster.request(Addresses.STORAGE_MEMBER_CHECK,
            new MemberRef(Fields.uuid(body, "conversationId"), caller.userId()))
        .map(ack -> new JsonObject());
  }

  /** As {@code PATCH /api/conversations/{id}}: the conversation as it is now. */
  private Future<JsonObject> update(JsonObject body, Caller caller) {
    return assistants.change(Fields.uuid(body, "conversationId"), caller.userId(), caller.username(), body)
        .map(assistants.views()::toJson);
  }

  private Future<JsonObject> send(JsonObject body, Caller caller) {
    return cluster.request(Addresses.CHAT_MESSAGE_SEND, new SendMessage(
            Fields.uuid(body, "conversationId"), caller.userId(), caller.username(),
            Fields.wellFormed("text", Fields.string(body, "text")),
            Fields.wellFormed("clientMsgId", Fields.optString(body, "clientMsgId")), Fields.bool(body, "ai", false)))
        .map(result -> result.toJson());
  }

  /** As {@code POST /api/conversations/{id}/messages/{messageId}/regenerate}. */
  private Future<JsonObject> regenerate(JsonObject body, Caller caller) {
    return cluster.request(Addresses.CHAT_ANSWER_REGENERATE, new RegenerateAnswer(Fields.uuid(body, "conversationId"),
            Fields.uuid(body, "messageId"), caller.userId(), caller.username()))
        .map(result -> result.toJson());
  }

  private Future<JsonObject> typing(JsonObject body, Caller caller) {
    return cluster.request(Addresses.CHAT_TYPING_UPDATE, new TypingUpdate(
            Fields.uuid(body, "conversationId"), caller.userId(), caller.username(), Fields.bool(body, "isTyping")))
        .map(ack -> new JsonObject());
  }

  private Future<JsonObject> history(JsonObject body, Caller caller) {
    return cluster.request(Addresses.CHAT_HISTORY_GET, new HistoryRequest(
            Fields.uuid(body, "conversationId"), caller.userId(), Fields.optLong(body, "afterSeq"),
            Fields.optLong(body, "beforeSeq"), Fields.optInt(body, "limit")))
        .map(reply -> reply.toJson());
  }

  private Future<JsonObject> stop(JsonObject body, Caller caller) {
    return cluster.request(Addresses.CHAT_STREAM_STOP,
            new StopStream(Fields.uuid(body, "conversationId"), Fields.string(body, "streamId"), caller.userId(),
                caller.username()))
        .map(result -> result.toJson());
  }

  private static Future<Void> consume(
      EventBus bus, String address, BiFunction<JsonObject, Caller, Future<JsonObject>> handler) {
    return Bus.<Object>serve(bus, address, message -> handle(message, handler)).completion();
  }

  private static Future<JsonObject> handle(
      Message<Object> message, BiFunction<JsonObject, Caller, Future<JsonObject>> handler) {
    Caller caller = Caller.from(message.headers());
    if (caller.userId() == null) {
      throw new ChorusException(ErrorCode.UNAUTHORIZED, "not authenticated");
    }
    return handler.apply(Fields.object(message.body()), caller);
  }
}
