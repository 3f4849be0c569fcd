package io.chorus.gateway.http;

import io.chorus.model.Bus;
import io.chorus.model.ChorusException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers HTTP requests with the contract's codes: {@code {"error": message, "code": N}}. */
public final class HttpReplies {
  private static final Logger log = LoggerFactory.getLogger(HttpReplies.class);

  private HttpReplies() {}

  public static void fail(RoutingContext ctx, Throwable err) {
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
   * The router's failure and error handler: a handler that threw (bad body), an auth handler's 401, a body
   * over {@code bodyLimit}, or a plain status such as 404 for an unknown route and 405 for a known path
   * with another method, all answered in the contract's shape.
   */
  public static void onRouteFailure(RoutingContext ctx, long bodyLimit) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpClosedException || ctx.response().closed()) {
      // The client went away mid-request (a stalled body closed by the idle timeout, say): nobody to answer.
      log.debug("{} {}: connection closed before the answer", ctx.request().method(), ctx.request().path());
      return;
    }
    if (failure instanceof HttpException http) {
      status(ctx, http.getStatusCode(), messageFor(http.getStatusCode(), http.getMessage(), bodyLimit));
    } else if (failure == null) {
      status(ctx, ctx.statusCode(), messageFor(ctx.statusCode(), "request failed", bodyLimit));
    } else {
      fail(ctx, failure);
    }
  }

  private static String messageFor(int status, String otherwise, long bodyLimit) {
    return switch (status) {
      case 401 -> "not authenticated";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body is larger than " + bodyLimit + " bytes";
      default -> otherwise;
    };
  }

  public static void status(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message).put("code", status));
  }

  /** Answers with {@code status} and the JSON when the future succeeds, with the mapped error otherwise. */
  public static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, status, ar.result());
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
