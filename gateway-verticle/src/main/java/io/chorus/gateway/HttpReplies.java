package io.chorus.gateway;

import io.chorus.model.Bus;
import io.chorus.model.ChorusException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/** Answers HTTP requests with the contract's codes: {@code {"error": message, "code": N}}. */
final class HttpReplies {
  private HttpReplies() {}

  static void fail(RoutingContext ctx, Throwable err) {
    ChorusException mapped = Bus.toChorus(err, ctx.request().method() + " " + ctx.request().path());
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(mapped.code().code())
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", mapped.getMessage()).put("code", mapped.code().code()).encode());
  }

  /**
   * The router's failure handler: a handler that threw (bad body), an auth handler's 401, or a plain
   * status such as 404 for an unknown route, all answered in the contract's shape.
   */
  static void onRouteFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http) {
      status(ctx, http.getStatusCode(), http.getStatusCode() == 401 ? "not authenticated" : http.getMessage());
    } else if (failure == null) {
      status(ctx, ctx.statusCode(), ctx.statusCode() == 404 ? "not found" : "request failed");
    } else {
      fail(ctx, failure);
    }
  }

  private static void status(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message).put("code", status));
  }

  /** Answers with {@code status} and the JSON when the future succeeds, with the mapped error otherwise. */
  static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, status, ar.result());
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
