package io.chorus.gateway;

import io.chorus.model.Addresses;
import io.chorus.model.Futures;
import io.chorus.model.events.RoomEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online in each conversation, per user rather than per tab, across every gateway. Locally it
 * counts a user's sockets in a room; the cluster keeps, per conversation, which gateways have each user
 * ({@code chorus.presence}, changed by compare-and-set). A user's first gateway announces
 * {@code user_joined}, the last one to let go {@code user_left}. Gateways hold a renewed lease in
 * {@code chorus.gateways}; every gateway sweeps out the users of a gateway whose lease expired, so a
 * dead gateway's users go offline a few seconds after it stops renewing.
 *
 * <p>Why {@code synchronized} rather than confined to one context: sockets enter and leave on the edge context,
 * while the cluster map's answers and the lease timer run on cluster threads, and at a graceful stop the
 * changes still in flight must complete after the edge Vert.x has closed (so they cannot be made to come back
 * on the edge context). The lock guards only the local maps; what the edge is handed ({@link #enter},
 * {@link #online}) completes on the caller's context.
 */
final class Presence {
  private static final Logger log = LoggerFactory.getLogger(Presence.class);
  static final long LEASE_MS = 6_000;
  static final long RENEW_EVERY_MS = 2_000;

  private final ClusterClient cluster;
  private final String gatewayId;
  /** This gateway's users per room, keyed {@code conversationId/userId}. */
  private final Map<String, LocalUser> localUsers = new HashMap<>();
  /** Cluster changes of one (conversation, user) run one after another, in the order the sockets moved. */
  private final Map<String, Future<Void>> inFlight = new HashMap<>();

  Presence(ClusterClient cluster, String gatewayId) {
    this.cluster = cluster;
    this.gatewayId = gatewayId;
  }

  /** Starts renewing this gateway's lease and sweeping out gateways whose lease ran out. */
  Future<Void> start() {
    // Hazelcast throws rather than fails the future once it is shut down; the next tick tries again.
    cluster.setPeriodic(RENEW_EVERY_MS, id -> Futures.attempt(this::upkeep)
        .onFailure(err -> log.warn("presence upkeep failed: {}", err.toString())));
    return renewLease();
  }

  /** One round of upkeep: renew this gateway's lease, then sweep out gateways without one. */
  Future<Void> upkeep() {
    return renewLease().compose(v -> sweep());
  }

  /** A user with at least one socket in a room on this gateway. */
  private record LocalUser(String conversationId, String userId, String username, int sockets) {
    LocalUser plusOne() {
      return new LocalUser(conversationId, userId, username, sockets + 1);
    }
  }

  /**
   * A socket of the user entered the room; completes, on the caller's context, when the cluster knows the user
   * is online.
   */
  synchronized Future<Void> enter(String conversationId, String userId, String username) {
    String key = conversationId + "/" + userId;
    LocalUser user = localUsers.merge(key, new LocalUser(conversationId, userId, username, 1),
        (had, one) -> had.plusOne());
    if (user.sockets() == 1) {
      announceHere(user);
    }
    return ClusterClient.onCallerContext(inFlight.getOrDefault(key, Future.succeededFuture()));
  }

  synchronized void leave(String conversationId, String userId, String username) {
    String key = conversationId + "/" + userId;
    LocalUser user = localUsers.get(key);
    if (user == null) {
      return; // never entered here: nothing to undo, and no user_left for someone who never joined
    }
    if (user.sockets() > 1) {
      localUsers.put(key, new LocalUser(conversationId, userId, username, user.sockets() - 1));
      return;
    }
    localUsers.remove(key);
    chain(key, () -> change(conversationId, users -> withGateway(users, userId, username, false))
        .map(users -> announce(conversationId, userId, username, users, false)));
  }

  /** Marks the user online through this gateway in the cluster, announcing user_joined if they were not. */
  private void announceHere(LocalUser user) {
    chain(user.conversationId() + "/" + user.userId(), () -> change(user.conversationId(),
        users -> withGateway(users, user.userId(), user.username(), true))
        .map(users -> announce(user.conversationId(), user.userId(), user.username(), users, true)));
  }

  /** The users online in the conversation, on any gateway: {@code [{userId, username}]}, on the caller's context. */
  Future<JsonArray> online(String conversationId) {
    return ClusterClient.onCallerContext(presence(map -> map.get(conversationId)).map(users -> {
      JsonArray online = new JsonArray();
      if (users != null) {
        users.forEach(e -> online.add(new JsonObject().put("userId", e.getKey())
            .put("username", ((JsonObject) e.getValue()).getString("username"))));
      }
      return online;
    }));
  }

  /** Takes this gateway's users offline now (a graceful stop) and drops its lease. */
  Future<Void> stop() {
    List<Future<Void>> changes;
    synchronized (this) {
      localUsers.clear();
      changes = new ArrayList<>(inFlight.values());
    }
    return Future.join(changes).transform(v -> forget(Set.of(gatewayId)))
        .compose(v -> leases(l -> l.remove(gatewayId))).mapEmpty();
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

  private synchronized void chain(String key, Supplier<Future<Void>> change) {
    Future<Void> next = inFlight.getOrDefault(key, Future.succeededFuture()).transform(v -> change.get());
    inFlight.put(key, next);
    next.onComplete(ar -> {
      if (ar.failed()) {
        log.warn("presence of {} not updated: {}", key, ar.cause().getMessage());
      }
      synchronized (this) {
        inFlight.remove(key, next);
      }
    });
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

  /**
   * Renews this gateway's lease. If it had lapsed (a long pause, a partition), the other gateways have
   * swept this gateway's users offline although their sockets are still here: they are announced again.
   */
  private Future<Void> renewLease() {
    return leases(l -> l.get(gatewayId).compose(held -> l.put(gatewayId, "up", LEASE_MS).map(held)))
        .map(held -> {
          if (held == null) {
            restoreLocalUsers();
          }
          return null;
        });
  }

  private synchronized void restoreLocalUsers() {
    if (!localUsers.isEmpty()) {
      log.warn("gateway={} lease had lapsed; announcing its {} room users again", gatewayId, localUsers.size());
      localUsers.values().forEach(this::announceHere);
    }
  }

  /** Removes gateways without a lease from every conversation; users left with none go offline. */
  private Future<Void> sweep() {
    return leases(AsyncMap::keys).compose(alive -> presence(AsyncMap::entries)
        .compose(all -> {
          List<Future<Void>> sweeps = new ArrayList<>();
          all.forEach((conversationId, users) -> {
            boolean stale = users.stream().anyMatch(u -> ((JsonObject) u.getValue()).getJsonObject("gateways")
                .fieldNames().stream().anyMatch(g -> !alive.contains(g)));
            if (stale) {
              sweeps.add(removeGateways(conversationId, g -> !alive.contains(g)));
            }
          });
          return Future.join(sweeps).mapEmpty();
        }));
  }

  private Future<Void> forget(Set<String> gateways) {
    return presence(AsyncMap::keys).compose(conversations -> Future.join(conversations.stream()
        .map(c -> removeGateways(c, gateways::contains)).toList())).mapEmpty();
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
  record Change(JsonObject before, JsonObject after) {}

  /** Applies {@code update} with compare-and-set, retrying when another gateway changed it first. */
  private Future<Change> change(String conversationId, UnaryOperator<JsonObject> update) {
    return presence(map -> map.get(conversationId).compose(before -> {
      JsonObject after = update.apply(before);
      if (after.equals(before == null ? new JsonObject() : before)) {
        return Future.succeededFuture(new Change(before, before));
      }
      Future<Boolean> written = before == null
          ? map.putIfAbsent(conversationId, after).map(previous -> previous == null)
          : after.isEmpty() ? map.removeIfPresent(conversationId, before)
          : map.replaceIfPresent(conversationId, before, after);
      return written.compose(ok -> ok ? Future.succeededFuture(new Change(before, after.isEmpty() ? null : after))
          : change(conversationId, update));
    }));
  }

  private <T> Future<T> presence(Function<AsyncMap<String, JsonObject>, Future<T>> op) {
    return cluster.withMap("chorus.presence", op);
  }

  private <T> Future<T> leases(Function<AsyncMap<String, String>, Future<T>> op) {
    return cluster.withMap("chorus.gateways", op);
  }
}
