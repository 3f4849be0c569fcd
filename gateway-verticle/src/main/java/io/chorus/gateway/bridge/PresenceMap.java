package io.chorus.gateway.bridge;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Addresses;
import io.chorus.model.cluster.CompareAndSet;
import io.chorus.model.cluster.CompareAndSet.Swap;
import io.chorus.model.events.RoomEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The cluster's record of who is online: {@code chorus.presence}, conversationId -> {userId: {username,
 * gateways}}, changed by compare-and-set. A user's first gateway announces {@code user_joined}, the last one to
 * let go {@code user_left}. Its futures complete on the caller's context ({@link ClusterClient#withMap}).
 */
public final class PresenceMap {
  private static final String MAP = "chorus.presence";

  private final ClusterClient cluster;
  private final String gatewayId;

  public PresenceMap(ClusterClient cluster, String gatewayId) {
    this.cluster = cluster;
    this.gatewayId = gatewayId;
  }

  String gatewayId() {
    return gatewayId;
  }

  /** Marks the user online (or no longer) through this gateway, announcing the user's arrival or departure. */
  Future<Void> mark(String conversationId, String userId, String username, boolean here) {
    return change(conversationId, users -> withGateway(users, userId, username, here))
        .map(users -> announce(conversationId, userId, username, users, here));
  }

  /** The users online in the conversation, on any gateway: {@code [{userId, username}]}. */
  Future<JsonArray> online(String conversationId) {
    return map(map -> map.get(conversationId)).map(users -> {
      JsonArray online = new JsonArray();
      if (users != null) {
        users.forEach(e -> online.add(new JsonObject().put("userId", e.getKey())
            .put("username", ((JsonObject) e.getValue()).getString("username"))));
      }
      return online;
    });
  }

  /** Removes {@code gone} gateways from every conversation that has one; users left with none go offline. */
  Future<Void> removeGateways(Predicate<String> gone) {
    return map(AsyncMap::entries).compose(all -> Future.join(all.entrySet().stream()
        .filter(conversation -> conversation.getValue().stream().anyMatch(u -> ((JsonObject) u.getValue())
            .getJsonObject("gateways").fieldNames().stream().anyMatch(gone)))
        .map(conversation -> removeGateways(conversation.getKey(), gone))
        .toList())).mapEmpty();
  }

  /** Takes this gateway out of every conversation (a graceful stop). */
  Future<Void> forgetThisGateway() {
    Set<String> gone = Set.of(gatewayId);
    return map(AsyncMap::keys).compose(conversations -> Future.join(conversations.stream()
        .map(c -> removeGateways(c, gone::contains)).toList())).mapEmpty();
  }

  private Void announce(String conversationId, String userId, String username, Change users, boolean joined) {
    boolean wasOnline = users.before() != null && users.before().containsKey(userId);
    boolean isOnline = users.after() != null && users.after().containsKey(userId);
    if (joined && !wasOnline && isOnline) {
      publish(conversationId, RoomEvents.userJoined(conversationId, userId, username));
    } else if (!joined && wasOnline && !isOnline) {
      publish(conversationId, RoomEvents.userLeft(conversationId, userId, username));
    }
    return null;
  }

  private void publish(String conversationId, JsonObject event) {
    cluster.publish(Addresses.conversationEvents(conversationId), event);
  }

  /** {@code users} with this gateway added to or removed from the user's gateways. */
  private JsonObject withGateway(JsonObject users, String userId, String username, boolean add) {
    JsonObject next = users == null ? new JsonObject() : users.copy();
    JsonObject user = next.getJsonObject(userId, new JsonObject().put("username", username).put("gateways",
        new JsonObject()));
    JsonObject gateways = user.getJsonObject("gateways");
    if (add) {
      gateways.put(gatewayId, true);
      next.put(userId, user);
    } else {
      gateways.remove(gatewayId);
      if (gateways.isEmpty()) {
        next.remove(userId);
      }
    }
    return next;
  }

  private Future<Void> removeGateways(String conversationId, Predicate<String> gone) {
    return change(conversationId, users -> {
      JsonObject next = users == null ? new JsonObject() : users.copy();
      for (String userId : Set.copyOf(next.fieldNames())) {
        JsonObject gateways = next.getJsonObject(userId).getJsonObject("gateways");
        Set.copyOf(gateways.fieldNames()).stream().filter(gone).forEach(gateways::remove);
        if (gateways.isEmpty()) {
          next.remove(userId);
        }
      }
      return next;
    }).map(users -> {
      if (users.before() != null) {
        users.before().forEach(e -> {
          if (users.after() == null || !users.after().containsKey(e.getKey())) {
            publish(conversationId, RoomEvents.userLeft(conversationId, e.getKey(),
                ((JsonObject) e.getValue()).getString("username")));
          }
        });
      }
      return null;
    });
  }

  /** A conversation's users before and after one compare-and-set change (null: no entry). */
  private record Change(JsonObject before, JsonObject after) {}

  /** Applies {@code update} with the shared compare-and-set loop, again when another gateway changed it first. */
  private Future<Change> change(String conversationId, UnaryOperator<JsonObject> update) {
    return map(map -> CompareAndSet.apply(map, conversationId, (JsonObject before) -> {
      JsonObject after = update.apply(before);
      if (after.equals(before == null ? new JsonObject() : before)) {
        return Future.succeededFuture(Swap.keep(new Change(before, before)));
      }
      // A conversation nobody is online in has no entry.
      JsonObject next = after.isEmpty() ? null : after;
      return Future.succeededFuture(Swap.write(next, new Change(before, next)));
    }));
  }

  private <T> Future<T> map(Function<AsyncMap<String, JsonObject>, Future<T>> op) {
    return cluster.withMap(MAP, op);
  }
}
