package io.chorus.gateway;

import io.chorus.gateway.admin.AdminBroadcasts;
import io.chorus.gateway.admin.Suspensions;
import io.chorus.gateway.bridge.GatewayLease;
import io.chorus.gateway.bridge.Presence;
import io.chorus.gateway.bridge.PresenceMap;
import io.chorus.gateway.bridge.RoomFanout;
import io.chorus.gateway.http.SessionRevocations;
import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.chorus.model.ClientAddresses;
import io.chorus.model.events.PersonalEvent;
import io.chorus.model.ops.NodeOps;
import io.chorus.model.ops.NodeStatusBoard;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway, deployed on the clustered Vert.x. It runs its edge (HTTP, bridge, {@code client.*}
 * consumers) on a second, gateway-local Vert.x so that the bridge's per-socket consumers never become
 * cluster registrations; {@link RoomFanout} joins the two with one cluster consumer per active room.
 */
public final class GatewayVerticle extends VerticleBase {
  /** Readiness: the storage service answers (and through it the database). */
  private static final String READY_CHECK = "gateway.storage";
  private static final long READY_CHECK_MS = 2_000;

  private final GatewayConfig config;
  /** This node's health checks and metrics, from the {@link ClusterClient}: the one hold of the cluster's Vert.x. */
  private NodeOps ops;
  private Vertx edgeVertx;
  private MessageConsumer<JsonObject> personalEvents;
  private EdgeVerticle edge;
  private Presence presence;
  private GatewayLease lease;
  private RoomFanout fanout;
  private SessionRevocations revocations;

  public GatewayVerticle(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    // The gateway's parts get the clustered Vert.x only through this.
    ClusterClient cluster = new ClusterClient(vertx);
    ops = cluster.ops();
    ops.addReadinessCheck(READY_CHECK, READY_CHECK_MS,
        () -> cluster.request(Addresses.STORAGE_HEALTH_CHECK, Ack.INSTANCE));
    String gatewayId = UUID.randomUUID().toString();
    String statusKey = NodeStatusBoard.GATEWAY + "-" + gatewayId;
    PresenceMap presenceMap = new PresenceMap(cluster, gatewayId);
    presence = new Presence(presenceMap);
    lease = new GatewayLease(cluster, presenceMap, presence::announceAgain);
    revocations = new SessionRevocations(cluster);
    Suspensions suspensions = new Suspensions(cluster, config.sessionMaxHours() * 3_600_000L);
    AdminBroadcasts broadcasts = new AdminBroadcasts(cluster, suspensions);
    // Built off the event loop: a Vert.x instance created on another one's thread would share its context.
    return lease.start()
        .compose(v -> revocations.start(sessionId -> {
          if (edge != null) {
            edge.closeSession(sessionId);
          }
        }))
        .compose(v -> suspensions.start())
        .compose(v -> broadcasts.start(new AdminBroadcasts.LocalSockets() {
          @Override
          public void closeUser(String userId, JsonObject event, String reason) {
            if (edge != null) {
              edge.closeUser(userId, event, reason);
            }
          }

          @Override
          public void deliverToAll(JsonObject event) {
            if (edge != null) {
              edge.deliverToAll(event);
            }
          }
        }))
        .compose(v -> Future.fromCompletionStage(CompletableFuture.supplyAsync(this::edgeVertx), context))
        .compose(edgeVertx -> {
          this.edgeVertx = edgeVertx;
          fanout = new RoomFanout(cluster, config.orderHoldMs());
          edge = new EdgeVerticle(config, cluster, fanout, presence, revocations, suspensions, broadcasts);
          Gauge.builder("chorus.gateway.connections", edge, EdgeVerticle::openSockets).strongReference(true)
              .description("bridge sockets open on this gateway").register(ops.meters());
          FunctionCounter.builder("chorus.gateway.sockets.slow", edge, EdgeVerticle::slowSocketsClosed)
              .description("bridge sockets closed because more than SOCKET_QUEUE_BYTES waited for them")
              .register(ops.meters());
          FunctionCounter.builder("chorus.gateway.event.streams.slow", edge, EdgeVerticle::slowEventStreamsClosed)
              .description("event streams (SSE) ended because more than SOCKET_QUEUE_BYTES waited for them")
              .register(ops.meters());
          FunctionCounter.builder("chorus.gateway.events.dropped", edge, EdgeVerticle::ephemeralEventsDropped)
              .description("typing and presence events dropped for sockets that had fallen behind")
              .register(ops.meters());
          Gauge.builder("chorus.gateway.rooms", fanout, RoomFanout::activeRooms).strongReference(true)
              .description("conversations this gateway holds a cluster consumer for (one per room with a local "
                  + "socket): the gateway's event-bus registrations grow with these, not with sockets")
              .register(ops.meters());
          // For the admin's cluster view (GET /api/admin/cluster on any gateway).
          cluster.setPeriodic(NodeStatusBoard.RENEW_MS, id -> publishStatus(cluster, statusKey));
          publishStatus(cluster, statusKey);
          // Before the first socket can register its personal address.
          personalEvents = cluster.<JsonObject>consumer(Addresses.PERSONAL_EVENTS,
              message -> deliverPersonal(PersonalEvent.fromJson(message.body())));
          return personalEvents.completion().compose(v -> edgeVertx.deployVerticle(edge));
        });
  }

  /** This gateway's entry on the {@link NodeStatusBoard}: connections, rooms, draining. */
  private void publishStatus(ClusterClient cluster, String key) {
    JsonObject figures = new JsonObject().put("connections", edge.openSockets()).put("rooms", fanout.activeRooms())
        .put("draining", ops.draining()).put("port", edge.portOrZero());
    cluster.<String, JsonObject, Void>withMap(NodeStatusBoard.MAP,
        map -> map.put(key, NodeStatusBoard.entry(NodeStatusBoard.GATEWAY, figures), NodeStatusBoard.TTL_MS));
  }

  /** To the user's sockets on this gateway, if any registered {@code client.user.<id>}. */
  private void deliverPersonal(PersonalEvent personal) {
    edgeVertx.eventBus().publish(ClientAddresses.user(personal.userId()), personal.event());
  }

  /**
   * The gateway-local Vert.x; its HTTP server metrics go to the node's registry (its local event bus's and
   * worker pools' would only blur the cluster bus's, so they are left out).
   */
  private Vertx edgeVertx() {
    VertxOptions options = new VertxOptions().setMetricsOptions(NodeOps.metricsOptions().setJvmMetricsEnabled(false)
        .setRegistryName("chorus-edge-" + UUID.randomUUID()).addDisabledMetricsCategory(MetricsDomain.EVENT_BUS).addDisabledMetricsCategory(MetricsDomain.NAMED_POOLS));
    return Vertx.builder().with(options).withMetrics(NodeOps.metricsFactory(ops.prometheus())).build();
  }

  /**
   * Graceful: reports not ready, tells every socket to reconnect elsewhere and closes it (bounded by
   * {@code GATEWAY_DRAIN_MS}), waits for the presence changes those closes started, stops listening, then takes
   * this gateway's users offline everywhere.
   */
  @Override
  public Future<?> stop() {
    if (ops != null) {
      ops.startDraining();
      ops.readiness().unregister(READY_CHECK);
    }
    if (personalEvents != null) {
      personalEvents.unregister(); // nothing more for sockets about to close
    }
    Future<Void> drained = edge == null ? Future.succeededFuture() : edge.drain(config.drainMs());
    // Before the edge closes: the changes the sockets' leaving started answer on the edge's context. Sockets still
    // open then find no users to take away (presence forgot them); the lease's stop takes them offline.
    Future<Void> presenceStopped = drained.transform(
        v -> presence == null ? Future.succeededFuture() : presence.stop());
    Future<Void> edgeClosed = presenceStopped.transform(
        v -> edgeVertx == null ? Future.succeededFuture() : edgeVertx.close());
    return edgeClosed.transform(v -> lease == null ? Future.succeededFuture() : lease.stop());
  }

  /** The port the gateway listens on (useful with {@code HTTP_PORT=0}). */
  public int port() {
    return edge.port();
  }

  /** Conversations this gateway holds a cluster consumer for: one per room with a local socket. */
  public int activeRooms() {
    return fanout == null ? 0 : fanout.activeRooms();
  }
}
