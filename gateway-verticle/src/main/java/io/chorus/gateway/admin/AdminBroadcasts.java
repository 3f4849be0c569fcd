package io.chorus.gateway.admin;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Addresses;
import io.chorus.model.admin.AdminEvents;
import io.chorus.model.admin.Announcement;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Operators' orders to every gateway, on {@link Addresses#GATEWAY_ADMIN_EVENTS}: an announcement for every
 * connected client, a user to disconnect, a user suspended or let back. Each gateway (the sender's too) acts on
 * its own sockets through {@link LocalSockets}. One broadcast address for all of them: they are rare.
 */
public final class AdminBroadcasts {
  static final String ANNOUNCEMENT = "announcement";
  static final String DISCONNECT = "disconnect";
  static final String SUSPENSION = "suspension";

  /** What a gateway does with its own sockets; called on a cluster thread, so it hops to its own context. */
  public interface LocalSockets {
    /** Tells each socket of the user why ({@code event} on its personal address), then closes it. */
    void closeUser(String userId, JsonObject event, String reason);

    /** {@code event} once to every socket on its user's personal address. */
    void deliverToAll(JsonObject event);
  }

  private final ClusterClient cluster;
  private final Suspensions suspensions;
  private MessageConsumer<JsonObject> consumer;

  public AdminBroadcasts(ClusterClient cluster, Suspensions suspensions) {
    this.cluster = cluster;
    this.suspensions = suspensions;
  }

  /** Registered cluster-wide once the future completes. */
  public Future<Void> start(LocalSockets sockets) {
    consumer = cluster.consumer(Addresses.GATEWAY_ADMIN_EVENTS, message -> {
      JsonObject order = message.body();
      switch (order.getString("type", "")) {
        case ANNOUNCEMENT -> sockets.deliverToAll(order.getJsonObject("event"));
        case DISCONNECT -> sockets.closeUser(order.getString("userId"),
            AdminEvents.disconnected(AdminEvents.REASON_DISCONNECTED), AdminEvents.REASON_DISCONNECTED);
        case SUSPENSION -> {
          suspensions.apply(order);
          if (order.getBoolean("suspended", false)) {
            sockets.closeUser(order.getString("userId"), AdminEvents.disconnected(AdminEvents.REASON_SUSPENDED),
                AdminEvents.REASON_SUSPENDED);
          }
        }
        default -> { } // an order of a newer gateway: not for this one
      }
    });
    return consumer.completion();
  }

  void announce(Announcement announcement) {
    cluster.publish(Addresses.GATEWAY_ADMIN_EVENTS,
        new JsonObject().put("type", ANNOUNCEMENT).put("event", announcement.toEvent()));
  }

  void disconnect(String userId) {
    cluster.publish(Addresses.GATEWAY_ADMIN_EVENTS, new JsonObject().put("type", DISCONNECT).put("userId", userId));
  }

  /** {@code state}: what {@link Suspensions#change} recorded. */
  void suspension(JsonObject state) {
    cluster.publish(Addresses.GATEWAY_ADMIN_EVENTS, state.copy().put("type", SUSPENSION));
  }
}
