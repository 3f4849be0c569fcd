package io.chorus.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the node's readiness checks (in the
 * cluster; the storage service, and through it the database, answers; and whatever else the services
 * on this node registered); 503 when one fails or the gateway is draining for a shutdown.
 */
public final class HealthApi {
  private final Supplier<Future<JsonObject>> readiness;

  /** {@code readiness}: the node's checks, their outcome on the request's context (the server writes only there). */
  public HealthApi(Supplier<Future<JsonObject>> readiness) {
    this.readiness = readiness;
  }

  public void live(RoutingContext ctx) {
    HttpReplies.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext ctx) {
    readiness.get().onComplete(ar -> {
      JsonObject body = ar.succeeded() ? ar.result() : new JsonObject().put("status", "DOWN");
      HttpReplies.json(ctx, "UP".equals(body.getString("status")) ? 200 : 503, body);
    });
  }
}
