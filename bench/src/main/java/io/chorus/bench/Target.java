package io.chorus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The Chorus under test as the scenarios reach it: its HTTP API, WebSocket clients (one per local source
 * address), the pid whose CPU and memory are reported (when known), and unique names for what a run
 * creates, so runs against the same database never collide.
 */
final class Target {
  /** Connections per source address: stays under the ~28,000 ephemeral ports of one local address. */
  static final int CONNECTIONS_PER_SOURCE = 25_000;

  final Vertx vertx;
  final HttpApi api;
  final String host;
  final int port;
  final long serverPid;
  final String runTag;
  private final List<WebSocketClient> clients = new ArrayList<>();

  Target(Vertx vertx, URI url, long serverPid) {
    this.vertx = vertx;
    this.api = new HttpApi(vertx, url);
    this.host = api.host();
    this.port = api.port();
    this.serverPid = serverPid;
    this.runTag = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  }

  /**
   * The WebSocket client for connection number {@code n}: beyond {@link #CONNECTIONS_PER_SOURCE}
   * connections each further block binds its own source address 127.0.0.2, 127.0.0.3, ... (the whole of
   * 127/8 is loopback on Linux), since one address runs out of ephemeral ports.
   */
  synchronized WebSocketClient client(int n, int total) {
    int index = total > CONNECTIONS_PER_SOURCE ? n / CONNECTIONS_PER_SOURCE : 0;
    while (clients.size() <= index) {
      WebSocketClientOptions options = new WebSocketClientOptions().setMaxConnections(1_000_000)
          .setConnectTimeout(30_000);
      if (total > CONNECTIONS_PER_SOURCE) {
        options.setLocalAddress("127.0.0." + (2 + clients.size()));
      }
      clients.add(vertx.createWebSocketClient(options));
    }
    return clients.get(index);
  }

  /** A username unique to this run: 3-32 of A-Z a-z 0-9 _ . - as the API requires. */
  String username(String scenario, int i) {
    return "b" + runTag + "-" + scenario.substring(0, Math.min(2, scenario.length())) + i;
  }

  void close() {
    clients.forEach(WebSocketClient::close);
    api.close();
  }
}
