package io.chorus.gateway.bridge;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Futures;
import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's lease in {@code chorus.gateways}, renewed every {@link #RENEW_EVERY_MS}; and the sweep every
 * gateway makes of gateways whose lease ran out, taking their users offline, so a dead gateway's users go
 * offline a few seconds after it stops renewing. Runs on the cluster side only.
 * <p>Kept apart from the LLM workers' leases ({@code SharedDataStreamRegistry}), which look alike: a worker's lapse
 * is final (chat ends its streams as orphans), a gateway's is recoverable (it renews and announces its users
 * again), and what a sweep changes differs (streams vs. presence). Shared, they would share one map put.
 */
public final class GatewayLease {
  private static final Logger log = LoggerFactory.getLogger(GatewayLease.class);
  private static final String MAP = "chorus.gateways";
  static final long LEASE_MS = 6_000;
  static final long RENEW_EVERY_MS = 2_000;

  private final ClusterClient cluster;
  private final PresenceMap presence;
  private final Runnable onLapsed;

  /** {@code onLapsed}: the lease had run out when it was renewed; this gateway's users must be announced again. */
  public GatewayLease(ClusterClient cluster, PresenceMap presence, Runnable onLapsed) {
    this.cluster = cluster;
    this.presence = presence;
    this.onLapsed = onLapsed;
  }

  /** Starts renewing this gateway's lease and sweeping out gateways whose lease ran out. */
  public Future<Void> start() {
    // Hazelcast throws rather than fails the future once it is shut down; the next tick tries again.
    cluster.setPeriodic(RENEW_EVERY_MS, id -> Futures.attempt(this::upkeep)
        .onFailure(err -> log.warn("presence upkeep failed: {}", err.toString())));
    return renew();
  }

  /** One round of upkeep: renew this gateway's lease, then sweep out gateways without one. */
  Future<Void> upkeep() {
    return renew().compose(v -> leases(AsyncMap::keys))
        .compose(alive -> presence.removeGateways(gateway -> !alive.contains(gateway)));
  }

  /** Takes this gateway's users offline everywhere (a graceful stop), then drops its lease. */
  public Future<Void> stop() {
    return presence.forgetThisGateway().transform(v -> leases(l -> l.remove(presence.gatewayId()))).mapEmpty();
  }

  /**
   * Renews this gateway's lease. If it had lapsed (a long pause, a partition), the other gateways have
   * swept this gateway's users offline although their sockets are still here: they are announced again.
   */
  private Future<Void> renew() {
    String gatewayId = presence.gatewayId();
    return leases(l -> l.get(gatewayId).compose(held -> l.put(gatewayId, "up", LEASE_MS).map(held)))
        .map(held -> {
          if (held == null) {
            onLapsed.run();
          }
          return null;
        });
  }

  private <T> Future<T> leases(Function<AsyncMap<String, String>, Future<T>> op) {
    return cluster.withMap(MAP, op);
  }
}
