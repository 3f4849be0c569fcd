package io.chorus.gateway.http;

import io.chorus.gateway.ClusterClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Sessions ended by a logout, on every gateway. A logout publishes the session id to every gateway, which
 * refuses its tokens from then on and closes its sockets; it is also kept in a cluster map, with the
 * session's remaining lifetime as its time to live, for gateways that start later. The check a request makes
 * is a lookup in this gateway's own copy: no cluster round trip per request.
 */
public final class SessionRevocations {
  static final String ADDRESS = "gateway.session.revoked";
  private static final String MAP = "chorus.revoked-sessions";

  private final ClusterClient cluster;
  /** Session id -> until when (epoch ms) it would have been valid: after that its tokens are refused anyway. */
  private final Map<String, Long> revoked = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public SessionRevocations(ClusterClient cluster) {
    this.cluster = cluster;
  }

  /** Listens for logouts on any gateway, then reads those of before it started. */
  public Future<Void> start(Consumer<String> onRevoked) {
    consumer = cluster.consumer(ADDRESS, message -> {
      String sessionId = message.body().getString("sid");
      revoked.put(sessionId, message.body().getLong("until", Long.MAX_VALUE));
      onRevoked.accept(sessionId);
    });
    cluster.setPeriodic(60_000, id -> forgetEnded());
    return consumer.completion()
        .compose(v -> cluster.<String, Long, Map<String, Long>>withMap(MAP, AsyncMap::entries))
        .onSuccess(entries -> entries.forEach((sid, until) -> revoked.putIfAbsent(sid, until)))
        .mapEmpty();
  }

  /**
   * Ends the session on every gateway; completes, on the caller's context, once it is recorded for gateways yet
   * to start.
   */
  Future<Void> revoke(String sessionId, long untilEpochMs) {
    long ttl = Math.max(1, untilEpochMs - System.currentTimeMillis());
    revoked.put(sessionId, untilEpochMs);
    return cluster.<String, Long, Void>withMap(MAP, map -> map.put(sessionId, untilEpochMs, ttl))
        .onSuccess(v -> cluster.publish(ADDRESS, new JsonObject().put("sid", sessionId).put("until", untilEpochMs)));
  }

  boolean isRevoked(String sessionId) {
    return sessionId != null && revoked.containsKey(sessionId);
  }

  private void forgetEnded() {
    long now = System.currentTimeMillis();
    revoked.values().removeIf(until -> until < now);
  }
}
