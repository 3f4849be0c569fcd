package io.chorus.bench;

import io.chorus.fixtures.BridgeSocket;
import io.vertx.core.Future;
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
  /** Default connections per source address: under the ~28,000 ephemeral ports of one local address. */
  static final int CONNECTIONS_PER_SOURCE = 25_000;

  final Vertx vertx;
  final HttpApi api;
  /** The server processes whose CPU and memory are reported; empty when unknown. */
  final List<Long> serverPids;
  final String runTag;
  final int perSource;
  final EventLoops loops;
  private final List<URI> gateways;
  private final List<WebSocketClient> clients = new ArrayList<>();

  /**
   * @param gateways one or more gateways of the same Chorus (a cluster): the HTTP API goes to the first,
   *     sockets are spread over all of them, so room events cross gateways
   */
  Target(Vertx vertx, EventLoops loops, List<URI> gateways, List<Long> serverPids, int perSource) {
    this.vertx = vertx;
    this.loops = loops;
    this.gateways = List.copyOf(gateways);
    this.api = new HttpApi(vertx, gateways.get(0));
    this.serverPids = List.copyOf(serverPids);
    this.perSource = perSource;
    this.runTag = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  }

  /**
   * Connection {@code n} of {@code total}: a socket to gateway {@code n % gateways}, living on event loop
   * {@code n % loops}.
   */
  Future<BridgeSocket> connect(int n, int total, String token) {
    URI gateway = gateways.get(n % gateways.size());
    WebSocketClient client = client(n, total);
    return loops.on(n, () -> BridgeSocket.connect(vertx, client, gateway.getHost(),
        gateway.getPort() > 0 ? gateway.getPort() : 80, token));
  }

  int sourceAddresses(int total) {
    return total > perSource ? (total + perSource - 1) / perSource : 1;
  }

  /**
   * The WebSocket client for connection number {@code n}: beyond {@code perSource} (default
   * {@link #CONNECTIONS_PER_SOURCE}) connections each further block binds its own source address 127.0.0.2, 127.0.0.3, ... (the whole of
   * 127/8 is loopback on Linux), since one address runs out of ephemeral ports.
   */
  private synchronized WebSocketClient client(int n, int total) {
    int index = total > perSource ? n / perSource : 0;
    while (clients.size() <= index) {
      WebSocketClientOptions options = new WebSocketClientOptions().setMaxConnections(1_000_000)
          .setConnectTimeout(30_000);
      if (total > perSource) {
        options.setLocalAddress("127.0.0." + (2 + clients.size()));
      }
      clients.add(vertx.createWebSocketClient(options));
    }
    return clients.get(index);
  }

  /** A username unique to this run: 3-32 of A-Z a-z 0-9 _ . - as the API requires. */
  String username(String scenario, int i) {
    return usernameOf(runTag, scenario, i);
  }

  /**
   * A user of one run and scenario: a scenario's name is cut to its first two letters to keep names short, but a
   * tag with a number (a warm-up round's {@code w1}, {@code w10}, {@code w1000}) is kept whole, or round 10's users
   * would be round 1's.
   */
  static String usernameOf(String runTag, String scenario, int i) {
    boolean name = scenario.chars().allMatch(Character::isLetter);
    String tag = name ? scenario.substring(0, Math.min(2, scenario.length())) : scenario;
    return "b" + runTag + "-" + tag + "-" + i;
  }

  void close() {
    clients.forEach(WebSocketClient::close);
    api.close();
  }
}
