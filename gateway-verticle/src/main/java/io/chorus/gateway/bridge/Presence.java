package io.chorus.gateway.bridge;

import io.chorus.gateway.ClusterClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online in each conversation, per user rather than per tab: this gateway's count of each user's
 * sockets in each room. A user's first socket here marks them online through this gateway in the cluster's
 * {@link PresenceMap}, the last one to leave takes that back; the cluster changes of one (conversation, user)
 * run one after another, in the order the sockets moved. The lease that keeps this gateway's marks valid is
 * {@link GatewayLease}'s.
 *
 * <p>Why {@code synchronized} rather than confined to one context: sockets enter and leave on the edge context,
 * while the lease's call to {@link #announceAgain} comes on a cluster thread, and each (conversation, user)'s
 * chain of changes starts a change where the one before it ended, which may be either. The lock guards only the
 * local maps; what the edge is handed ({@link #enter}, {@link #online}) completes on the caller's context. A
 * graceful stop waits for the changes in flight before the edge Vert.x closes ({@code GatewayVerticle.stop}).
 */
public final class Presence {
  private static final Logger log = LoggerFactory.getLogger(Presence.class);

  private final PresenceMap cluster;
  /** This gateway's users per room, keyed {@code conversationId/userId}. */
  private final Map<String, LocalUser> localUsers = new HashMap<>();
  /** Cluster changes of one (conversation, user) run one after another, in the order the sockets moved. */
  private final Map<String, Future<Void>> inFlight = new HashMap<>();

  public Presence(PresenceMap cluster) {
    this.cluster = cluster;
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
  public synchronized Future<Void> enter(String conversationId, String userId, String username) {
    String key = conversationId + "/" + userId;
    LocalUser user = localUsers.merge(key, new LocalUser(conversationId, userId, username, 1),
        (had, one) -> had.plusOne());
    if (user.sockets() == 1) {
      announceHere(user);
    }
    // The chain may end on a cluster thread (a change the lease started went before): handed over to the caller.
    return ClusterClient.onCallerContext(inFlight.getOrDefault(key, Future.succeededFuture()));
  }

  public synchronized void leave(String conversationId, String userId, String username) {
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
    chain(key, () -> cluster.mark(conversationId, userId, username, false));
  }

  /** The users online in the conversation, on any gateway: {@code [{userId, username}]}, on the caller's context. */
  Future<JsonArray> online(String conversationId) {
    return cluster.online(conversationId);
  }

  /**
   * This gateway's lease had lapsed (a long pause, a partition): the other gateways have swept its users offline
   * although their sockets are still here, so they are announced again.
   */
  public synchronized void announceAgain() {
    if (!localUsers.isEmpty()) {
      log.warn("gateway={} lease had lapsed; announcing its {} room users again", cluster.gatewayId(),
          localUsers.size());
      localUsers.values().forEach(this::announceHere);
    }
  }

  /** A graceful stop: forgets the local users; completes once the cluster changes in flight are done. */
  public Future<Void> stop() {
    List<Future<Void>> changes;
    synchronized (this) {
      localUsers.clear();
      changes = new ArrayList<>(inFlight.values());
    }
    return Future.join(changes).mapEmpty();
  }

  /** Marks the user online through this gateway in the cluster, announcing user_joined if they were not. */
  private void announceHere(LocalUser user) {
    chain(user.conversationId() + "/" + user.userId(),
        () -> cluster.mark(user.conversationId(), user.userId(), user.username(), true));
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
}
