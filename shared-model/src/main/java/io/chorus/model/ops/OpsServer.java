package io.chorus.model.ops;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.PrometheusRequestHandler;

/**
 * The operations port of a service without HTTP of its own (storage, chat, LLM workers):
 * {@code /metrics} (Prometheus text), {@code /health/live} (the process answers) and
 * {@code /health/ready} (the node's readiness checks; 503 when one fails or the node is draining).
 */
public final class OpsServer {
  private OpsServer() {}

  public static Future<HttpServer> start(Vertx vertx, int port) {
    return vertx.createHttpServer().requestHandler(handler(NodeOps.of(vertx))).listen(port);
  }

  /** The same three routes, for a server that has other routes too. */
  public static Handler<HttpServerRequest> handler(NodeOps ops) {
    Handler<HttpServerRequest> metrics = PrometheusRequestHandler.create(ops.prometheus());
    return request -> {
      switch (request.path()) {
        case "/metrics" -> metrics.handle(request);
        case "/health/live" -> json(request, 200, new JsonObject().put("status", "UP"));
        case "/health/ready" -> ops.ready().onComplete(ar -> {
          JsonObject body = ar.succeeded() ? ar.result() : new JsonObject().put("status", "DOWN");
          json(request, "UP".equals(body.getString("status")) ? 200 : 503, body);
        });
        default -> json(request, 404, new JsonObject().put("error", "not found"));
      }
    };
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
