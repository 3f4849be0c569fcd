package io.chorus.gateway.http;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.Ids;
import io.chorus.model.assistants.AssistantCatalog;
import io.chorus.model.assistants.AssistantProfile;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.SetAssistant;
import io.chorus.model.storage.SetSettings;
import io.chorus.model.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The assistants of the deployment and a conversation's choice of one: {@code GET /api/assistants} (the
 * profiles anyone may see, and whether a worker serves each right now), {@code PATCH /api/conversations/{id}}
 * (a member switches the assistant; storage stores and announces {@code assistant_changed}; the bridge's
 * {@code client.conversation.update} goes through {@link #change} too), and the choice made when a
 * conversation is created.
 */
public final class AssistantApi {
  /** A listing waits no longer than this for a profile's workers to answer; none in time: not served. */
  static final long PROBE_TIMEOUT_MS = 2_000;

  private final ClusterClient cluster;
  private final AssistantCatalog assistants;
  private final ConversationViews views;
  private final ChangeLimit changes;

  public AssistantApi(ClusterClient cluster, AssistantCatalog assistants, ChangeLimit changes) {
    this.cluster = cluster;
    this.assistants = assistants;
    this.changes = changes;
    this.views = new ConversationViews(assistants);
  }

  /** Conversations as the API returns them, with answers named after their assistant. */
  public ConversationViews views() {
    return views;
  }

  /** {@code {assistants:[{id, name, description, model, provider, served}], defaultAssistantId}}. */
  public void list(RoutingContext ctx) {
    List<AssistantProfile> profiles = assistants.profiles();
    List<Future<Ack>> probes = profiles.stream()
        .map(p -> cluster.request(Addresses.llmAssistantProbe(p.id()), Ack.INSTANCE, PROBE_TIMEOUT_MS))
        .toList();
    HttpReplies.respond(ctx, 200, Future.join(probes).otherwiseEmpty().map(all -> {
      JsonArray list = new JsonArray();
      for (int i = 0; i < profiles.size(); i++) {
        list.add(profiles.get(i).publicJson().put("served", probes.get(i).succeeded()));
      }
      return new JsonObject().put("assistants", list).put("defaultAssistantId", assistants.first().id());
    }));
  }

  /** {@code PATCH /api/conversations/{id}} {@code {"assistantId"}}: 200 with the conversation as it is now. */
  public void update(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, Future.succeededFuture(JsonBodies.of(ctx)).compose(body -> {
      String conversationId = Ids.canonicalOrNull(ctx.pathParam("id"));
      if (conversationId == null) {
        throw ChorusException.notFound("no such conversation");
      }
      return change(conversationId, TokenService.userId(ctx.user()), TokenService.username(ctx.user()), body)
          .map(views::toJson);
    }));
  }

  /**
   * A member changes the conversation: switches it to the profile {@code body.assistantId} and/or sets
   * {@code body.answersEveryMessage}. 400 when the body has neither, names no profile, or the flag is no
   * boolean, before anything changes; storage answers 403 / 404 and announces each change to the room
   * ({@code assistant_changed}, {@code conversation_settings_changed}).
   */
  public Future<ConversationInfo> change(String conversationId, String userId, String username, JsonObject body) {
    Object assistantId = body.getValue("assistantId");
    if (assistantId == null && !body.containsKey("answersEveryMessage")) {
      throw ChorusException.badRequest("nothing to change: give assistantId (GET /api/assistants lists them)"
          + " or answersEveryMessage");
    }
    if (assistantId != null && !(assistantId instanceof String)) {
      throw ChorusException.badRequest("assistantId must be a string");
    }
    AssistantProfile profile = assistantId == null ? null : assistants.require((String) assistantId);
    Boolean answersEveryMessage = body.containsKey("answersEveryMessage")
        ? Fields.bool(body, "answersEveryMessage") : null;
    Future<ConversationInfo> switched = changes.take(userId).compose(v -> profile == null
        ? Future.<ConversationInfo>succeededFuture()
        : cluster.request(Addresses.STORAGE_CONVERSATION_ASSISTANT_SET,
            new SetAssistant(conversationId, userId, username, profile.id(), profile.name()))
            .map(changed -> changed.conversation()));
    return answersEveryMessage == null ? switched : switched.compose(after -> cluster.request(
            Addresses.STORAGE_CONVERSATION_SETTINGS_SET,
            new SetSettings(conversationId, userId, username, answersEveryMessage))
        .map(changed -> changed.conversation()));
  }

  /** A new conversation's assistant: the one the body names (400 if unknown), else the first profile. */
  String forNewConversation(JsonObject body) {
    Object id = body.getValue("assistantId");
    if (id == null) {
      return assistants.first().id();
    }
    if (!(id instanceof String s)) {
      throw ChorusException.badRequest("assistantId must be a string");
    }
    return assistants.require(s).id();
  }
}
