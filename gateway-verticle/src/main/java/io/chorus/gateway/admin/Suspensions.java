package io.chorus.gateway.admin;

import io.chorus.gateway.ClusterClient;
import io.chorus.gateway.http.HttpReplies;
import io.chorus.gateway.http.TokenService;
import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.chorus.model.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Suspended users, on every gateway. A suspension (from {@code POST /api/admin/users/{id}/suspend} on any gateway)
 * reaches every gateway as an {@link AdminBroadcasts} order and is kept in the cluster map
 * {@code chorus.suspended-users} for gateways that start later; storage's table is the record that outlives the
 * cluster, read at start (not waited for). Every request and socket upgrade checks this gateway's own copy
 * ({@link #guard}), so no cluster round trip per request. A suspension also ends every login session the user
 * had started: after an unsuspend they log in again (the entry keeps {@code sessionsBefore} for the longest a
 * session lives).
 */
public final class Suspensions {
  private static final Logger log = LoggerFactory.getLogger(Suspensions.class);
  private static final String MAP = "chorus.suspended-users";

  /** {@code sessionsBefore}: sessions started before this epoch millisecond are ended. */
  record State(boolean suspended, long sessionsBefore) {
    static State fromJson(JsonObject json) {
      return new State(json.getBoolean("suspended", true), json.getLong("sessionsBefore", Long.MAX_VALUE));
    }

    JsonObject toJson() {
      return new JsonObject().put("suspended", suspended).put("sessionsBefore", sessionsBefore);
    }
  }

  private final ClusterClient cluster;
  private final long sessionMaxMs;
  private final Map<String, State> users = new ConcurrentHashMap<>();

  public Suspensions(ClusterClient cluster, long sessionMaxMs) {
    this.cluster = cluster;
    this.sessionMaxMs = sessionMaxMs;
  }

  /**
   * Reads the cluster's suspensions, then storage's (a cluster started afresh knows none); a storage not yet up
   * is logged, and the cluster's orders still arrive.
   */
  public Future<Void> start() {
    // Storage's answer is not waited for: a gateway starting before storage (or while it is slow) still starts.
    cluster.request(Addresses.STORAGE_USER_SUSPENDED, Ack.INSTANCE)
        .onSuccess(stored -> stored.userIds().forEach(userId ->
            users.putIfAbsent(userId, new State(true, System.currentTimeMillis()))))
        .onFailure(err -> log.warn("suspended users not read from storage at start: {}", err.toString()));
    return cluster.<String, JsonObject, Map<String, JsonObject>>withMap(MAP, AsyncMap::entries)
        .onSuccess(entries -> entries.forEach((userId, state) -> users.putIfAbsent(userId, State.fromJson(state))))
        .mapEmpty();
  }

  /**
   * Records the change for gateways yet to start; the caller then broadcasts it. Completes on the caller's
   * context with the state to broadcast.
   */
  Future<JsonObject> change(String userId, boolean suspended) {
    // Lifted: the sessions the suspension ended stay ended (no login could start one while it lasted).
    State before = users.get(userId);
    long now = System.currentTimeMillis();
    State state = new State(suspended, !suspended && before != null ? before.sessionsBefore() : now);
    users.put(userId, state);
    Future<Void> kept = cluster.withMap(MAP, (AsyncMap<String, JsonObject> map) -> suspended
        ? map.put(userId, state.toJson())
        : map.put(userId, state.toJson(), sessionMaxMs));
    return kept.map(v -> state.toJson().put("userId", userId));
  }

  /** An order from any gateway (this one's too). */
  void apply(JsonObject order) {
    users.put(order.getString("userId"), State.fromJson(order));
  }

  public boolean isSuspended(String userId) {
    State state = users.get(userId);
    return state != null && state.suspended();
  }

  /** After the auth handler: 403 "account suspended", or 401 for a session a suspension ended. */
  public void guard(RoutingContext ctx) {
    User user = ctx.user();
    String userId = user == null ? null : TokenService.userId(user);
    State state = userId == null ? null : users.get(userId);
    if (state == null) {
      ctx.next();
    } else if (state.suspended()) {
      HttpReplies.status(ctx, ErrorCode.FORBIDDEN.code(), "account suspended");
    } else {
      Long started = TokenService.sessionStartMillis(user);
      if (started == null || started < state.sessionsBefore()) {
        HttpReplies.status(ctx, ErrorCode.UNAUTHORIZED.code(), "the session has ended: log in again");
      } else {
        ctx.next();
      }
    }
  }
}
