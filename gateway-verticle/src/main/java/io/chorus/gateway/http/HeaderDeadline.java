package io.chorus.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes HTTP connections that do not deliver a complete request head in time ({@code HTTP_HEADER_TIMEOUT_MS}):
 * a new connection, and a kept-alive one once its last answer has ended. A client that connects and sends
 * nothing, or trickles a request line byte by byte (slowloris), would otherwise hold a socket for ever: the
 * idle timeout alone is reset by every byte. A connection with a request in progress (a streaming answer, an
 * upload) or upgraded to a WebSocket is not timed here; the idle timeout and the bridge's ping timeout
 * cover those. Used on the edge verticle's one event loop only.
 */
public final class HeaderDeadline {
  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<HttpConnection, Long> timers = new HashMap<>();

  public HeaderDeadline(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** A new connection: its first request head must be complete within the deadline. */
  public void onConnection(HttpConnection connection) {
    connection.closeHandler(v -> disarm(connection));
    arm(connection);
  }

  /** A request head arrived: the connection is busy with it, no deadline until its answer ends. */
  public void onRequest(HttpServerRequest request) {
    disarm(request.connection());
  }

  /** The answer ended: a kept-alive connection must send its next request head in time. */
  public void onAnswered(HttpServerRequest request) {
    if (!isUpgrade(request)) {
      arm(request.connection());
    }
  }

  int armed() {
    return timers.size();
  }

  private void arm(HttpConnection connection) {
    disarm(connection);
    timers.put(connection, vertx.setTimer(timeoutMs, id -> {
      timers.remove(connection);
      connection.close();
    }));
  }

  private void disarm(HttpConnection connection) {
    Long timer = timers.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private static boolean isUpgrade(HttpServerRequest request) {
    return request.headers().contains(HttpHeaders.UPGRADE);
  }
}
