package io.chorus.gateway.http;

import io.chorus.model.ops.NodeOps;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the node's readiness checks (in the
 * cluster; the storage service, and through it the database, answers; and whatever else the services
 * on this node registered); 503 when one fails or the gateway is draining for a shutdown.
 */
public final class HealthApi {
  private final NodeOps ops;

  public HealthApi(NodeOps ops) {
    this.ops = ops;
  }

  public void live(RoutingContext ctx) {
    HttpReplies.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext ctx) {
    ops.ready().onComplete(ar -> {
      JsonObject body = ar.succeeded() ? ar.result() : new JsonObject().put("status", "DOWN");
      HttpReplies.json(ctx, "UP".equals(body.getString("status")) ? 200 : 503, body);
    });
  }
}
