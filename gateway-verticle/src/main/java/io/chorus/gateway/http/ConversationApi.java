package io.chorus.gateway.http;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Ids;
import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.Fields;
import io.chorus.model.chat.HistoryRequest;
import io.chorus.model.chat.RegenerateAnswer;
import io.chorus.model.chat.SendMessage;
import io.chorus.model.events.PersonalEvent;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.llm.StopStream;
import io.chorus.model.storage.AddMember;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.MarkRead;
import io.chorus.model.storage.ReadMarker;
import io.chorus.model.storage.RemoveMember;
import io.chorus.model.storage.UserInfo;
import io.chorus.model.storage.UserRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The conversation endpoints of the contract: create, list, add and remove a member (or leave), read and send
 * messages. Sending
 * over HTTP takes the same path as {@code client.chat.send}.
 */
public final class ConversationApi {
  private static final int MAX_TITLE = 200;
  /** Members a create may name; more are added one by one. */
  static final int MAX_MEMBERS_AT_CREATION = 50;

  private final ClusterClient cluster;
  private final AssistantApi assistants;
  private final ConversationViews views;
  private final ChangeLimit changes;

  public ConversationApi(ClusterClient cluster, AssistantApi assistants, ConversationViews views, ChangeLimit changes) {
    this.cluster = cluster;
    this.assistants = assistants;
    this.views = views;
    this.changes = changes;
  }

  public void create(RoutingContext ctx) {
    HttpReplies.respond(ctx, 201, Future.succeededFuture(JsonBodies.of(ctx)).compose(body -> {
      String title = Fields.label("title", Fields.optString(body, "title"));
      title = title == null || title.isBlank() ? "New conversation" : title.strip();
      if (title.length() > MAX_TITLE) {
        throw ChorusException.badRequest("title is longer than " + MAX_TITLE + " characters");
      }
      CreateConversation create = new CreateConversation(userId(ctx), title, usernames(body),
          assistants.forNewConversation(body), Fields.bool(body, "answersEveryMessage", false));
      return changes.take(userId(ctx)).compose(v -> cluster.request(Addresses.STORAGE_CONVERSATION_CREATE, create))
          .onSuccess(c -> c.members().stream().filter(m -> !m.userId().equals(userId(ctx)))
              .forEach(m -> tellAdded(ctx, c, m)))
          .map(views::toJson);
    }));
  }

  public void list(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200,
        cluster.request(Addresses.STORAGE_CONVERSATION_LIST, new UserRef(userId(ctx))).map(l -> new JsonObject()
            .put("conversations", new JsonArray(l.conversations().stream().map(views::toJson).toList()))));
  }

  public void addMember(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, Future.succeededFuture(JsonBodies.of(ctx)).compose(body -> {
      AddMember add = new AddMember(conversationId(ctx), userId(ctx),
          Fields.label("username", Fields.string(body, "username")));
      return changes.take(userId(ctx)).compose(v -> cluster.request(Addresses.STORAGE_MEMBER_ADD, add))
          .onSuccess(c -> c.members().stream()
              .filter(m -> m.username().equalsIgnoreCase(body.getString("username")))
              .forEach(m -> tellAdded(ctx, c, m)))
          .map(views::toJson);
    }));
  }

  /**
   * {@code DELETE /api/conversations/{id}/members/{userId}}: the caller's own id leaves the conversation
   * (200 {@code {}}), another member's id is the owner removing them (200 with the conversation as it is now).
   */
  public void removeMember(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, Future.succeededFuture().compose(v -> {
      String memberId = pathUuid(ctx, "userId", "no such member");
      String caller = userId(ctx);
      // Storage announces it once committed: member_left / member_removed to the room, conversation_removed to
      // the person (every gateway then takes their sockets out of the room).
      RemoveMember remove = new RemoveMember(conversationId(ctx), caller, TokenService.username(ctx.user()), memberId);
      return changes.take(caller).compose(taken -> cluster.request(Addresses.STORAGE_MEMBER_REMOVE, remove))
          .map(removed -> memberId.equals(caller) ? new JsonObject() : views.toJson(removed.conversation()));
    }));
  }

  /** {@code conversation_added} to the new member's sockets, so their list shows it without a reload. */
  private void tellAdded(RoutingContext ctx, ConversationInfo conversation, UserInfo member) {
    cluster.publish(Addresses.PERSONAL_EVENTS, new PersonalEvent(member.userId(), RoomEvents.conversationAdded(
        conversation.conversationId(), conversation.title(), userId(ctx), TokenService.username(ctx.user()))));
  }

  public void history(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, Future.succeededFuture().compose(v -> cluster.request(Addresses.CHAT_HISTORY_GET,
        new HistoryRequest(conversationId(ctx), userId(ctx), Fields.parseLong("afterSeq", query(ctx, "afterSeq")),
            Fields.parseLong("beforeSeq", query(ctx, "beforeSeq")), Fields.parseInt("limit", query(ctx, "limit"))))
        .map(reply -> reply.toJson())));
  }

  public void send(RoutingContext ctx) {
    HttpReplies.respond(ctx, 201, Future.succeededFuture(JsonBodies.of(ctx)).compose(body ->
        cluster.request(Addresses.CHAT_MESSAGE_SEND, new SendMessage(conversationId(ctx), userId(ctx),
                TokenService.username(ctx.user()), Fields.wellFormed("text", Fields.string(body, "text")),
                Fields.wellFormed("clientMsgId", Fields.optString(body, "clientMsgId")),
                Fields.bool(body, "ai", false)))
            .map(r -> r.toJson())));
  }

  /**
   * {@code POST /api/conversations/{id}/messages/{messageId}/regenerate} (no body): asks the assistant again for
   * a question, or for the question of an answer; 201 {@code {messageId, seq}} of the question with the new
   * answer's {@code streamId} and {@code aiThinking}. As {@code client.chat.regenerate}.
   */
  public void regenerate(RoutingContext ctx) {
    HttpReplies.respond(ctx, 201, Future.succeededFuture().compose(v -> cluster.request(
            Addresses.CHAT_ANSWER_REGENERATE, new RegenerateAnswer(conversationId(ctx),
                pathUuid(ctx, "messageId", "no such message in this conversation"), userId(ctx),
                TokenService.username(ctx.user())))
        .map(result -> result.toJson())));
  }

  /**
   * {@code POST /api/conversations/{id}/streams/{streamId}/stop}: any member stops an answer, as
   * {@code client.chat.stop} does ({@code {"stopped"}}; 404 for an answer that already ended).
   */
  public void stopStream(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, Future.succeededFuture().compose(v -> cluster.request(Addresses.CHAT_STREAM_STOP,
            new StopStream(conversationId(ctx), ctx.pathParam("streamId"), userId(ctx),
                TokenService.username(ctx.user())))
        .map(result -> result.toJson())));
  }

  /**
   * {@code POST /api/conversations/{id}/read} {@code {"seq"}}: the caller has seen the conversation up to seq;
   * 200 {@code {conversationId, lastReadSeq}} (the marker only moves forward). As {@code client.conversation.read}.
   */
  public void markRead(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, Future.succeededFuture(JsonBodies.of(ctx)).compose(body ->
        cluster.request(Addresses.STORAGE_MEMBER_READ,
                new MarkRead(conversationId(ctx), userId(ctx), Fields.longValue(body, "seq")))
            .map(ReadMarker::toReply)));
  }

  /** The caller's token usage per conversation, for the answers the caller asked for. */
  public void usage(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200,
        cluster.request(Addresses.STORAGE_USAGE_TOTALS, new UserRef(userId(ctx))).map(totals -> totals.toJson()));
  }

  private static String userId(RoutingContext ctx) {
    User user = ctx.user();
    return TokenService.userId(user);
  }

  /** A path id that is not a UUID names no conversation: 404, like an unknown one. */
  private static String conversationId(RoutingContext ctx) {
    return pathUuid(ctx, "id", "no such conversation");
  }

  private static String pathUuid(RoutingContext ctx, String name, String notFound) {
    String id = Ids.canonicalOrNull(ctx.pathParam(name));
    if (id == null) {
      throw ChorusException.notFound(notFound);
    }
    return id;
  }

  /**
   * At most {@link #MAX_MEMBERS_AT_CREATION}: a create counts as one change (CONVERSATION_CHANGES_PER_MINUTE) however
   * many people it adds, each of whom gets it in their list; more are added one by one, each a change.
   */
  private static List<String> usernames(JsonObject body) {
    List<String> members = Fields.stringList(body, "members");
    if (members.size() > MAX_MEMBERS_AT_CREATION) {
      throw ChorusException.badRequest("at most " + MAX_MEMBERS_AT_CREATION + " members when creating a conversation;"
          + " add more with POST /api/conversations/{id}/members");
    }
    members.forEach(name -> Fields.label("members", name));
    return members;
  }

  private static String query(RoutingContext ctx, String name) {
    return ctx.queryParams().get(name);
  }
}
