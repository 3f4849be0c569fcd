package io.chorus.gateway.files;

import io.chorus.gateway.http.HttpReplies;
import io.chorus.model.Bus;
import io.chorus.model.ChorusException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers an upload whose body will not be stored (413, 403, 429, ...) and closes its HTTP/1.1
 * connection. The rest of the body is read and dropped until the client stops sending or
 * {@link #LINGER_MS} pass: closing on a client that is still sending makes TCP reset the connection, and
 * the client would see the reset instead of the answer. Nothing read here is kept. On HTTP/2 only the
 * request's stream is reset.
 */
public final class RefusedBody {
  static final long LINGER_MS = 2_000;

  private RefusedBody() {}

  /** {@code bodyComing} is false when the client waits for a 100 Continue it will not get. */
  static void answer(Vertx vertx, RoutingContext ctx, Throwable err, boolean bodyComing) {
    HttpServerRequest request = ctx.request();
    if (ctx.response().ended() || ctx.response().closed()) {
      cutOff(ctx);
      return;
    }
    ChorusException mapped = Bus.toChorus(err, request.method() + " " + request.path());
    if (request.version() == HttpVersion.HTTP_2) {
      // One stream of a shared connection: answer, then reset just this stream if the body is still coming.
      HttpReplies.fail(ctx, mapped);
      if (!request.isEnded()) {
        ctx.response().reset();
      }
      return;
    }
    HttpConnection connection = request.connection();
    if (!request.isEnded()) {
      request.handler(ignored -> {});
    }
    ctx.response()
        .setStatusCode(mapped.code().code())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(new JsonObject().put("error", mapped.getMessage()).put("code", mapped.code().code()).encode())
        .onComplete(written -> {
          if (!bodyComing || request.isEnded()) {
            connection.close();
            return;
          }
          long timer = vertx.setTimer(LINGER_MS, t -> connection.close());
          request.endHandler(v -> {
            vertx.cancelTimer(timer);
            connection.close();
          });
        });
    if (!request.isEnded()) {
      request.resume();
    }
  }

  /** Stops a request whose answer is already under way or impossible: its connection, or its HTTP/2 stream. */
  static void cutOff(RoutingContext ctx) {
    if (ctx.request().version() == HttpVersion.HTTP_2) {
      ctx.response().reset();
    } else {
      ctx.request().connection().close();
    }
  }
}
