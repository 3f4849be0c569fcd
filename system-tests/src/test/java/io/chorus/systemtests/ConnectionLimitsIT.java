package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.RawHttp;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What one client may hold on a gateway. Connections that never finish a request are closed
 * (HTTP_HEADER_TIMEOUT_MS, HTTP_IDLE_TIMEOUT_MS) without touching sockets in use: a bridge WebSocket lives on
 * well past the deadline. A user has at most MAX_SOCKETS_PER_USER sockets, each in at most
 * MAX_ROOMS_PER_SOCKET rooms.
 */
class ConnectionLimitsIT extends ClusterTestBase {
  /** Far above the header deadline below: a connection still open then was not closed for it. */
  private static final int BOUND_SECONDS = 20;

  @Override
  protected ClusterHarness startCluster() {
    return ClusterHarness.start(Map.of("HTTP_HEADER_TIMEOUT_MS", "1000", "HTTP_IDLE_TIMEOUT_MS", "8000",
        "MAX_SOCKETS_PER_USER", "2", "MAX_ROOMS_PER_SOCKET", "2"), true);
  }

  @Test
  void halfARequestLineIsClosed() {
    try (RawHttp raw = RawHttp.connect(cluster.gatewayPort())) {
      raw.write("GET /api/conversa");
      raw.awaitClosedByServer(BOUND_SECONDS);
    }
  }

  @Test
  void aRequestHeadThatNeverEndsIsClosed() {
    try (RawHttp raw = RawHttp.connect(cluster.gatewayPort())) {
      raw.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      raw.awaitClosedByServer(BOUND_SECONDS);
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() {
    try (RawHttp raw = RawHttp.connect(cluster.gatewayPort())) {
      raw.awaitClosedByServer(BOUND_SECONDS);
    }
  }

  /** Past the head, the header deadline no longer applies: the idle timeout closes a body that stalls. */
  @Test
  void aBodyThatStallsIsClosedByTheIdleTimeout() {
    try (RawHttp raw = RawHttp.connect(cluster.gatewayPort())) {
      raw.write("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"user");
      raw.awaitClosedByServer(BOUND_SECONDS);
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedWhenNoNextRequestComes() {
    try (RawHttp raw = RawHttp.connect(cluster.gatewayPort())) {
      raw.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(raw.readResponse(BOUND_SECONDS)).startsWith("HTTP/1.1 200");
      raw.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(raw.readResponse(BOUND_SECONDS)).as("the connection is reused").startsWith("HTTP/1.1 200");
      raw.awaitClosedByServer(BOUND_SECONDS);
    }
  }

  @Test
  void aBridgeSocketOutlivesTheHeaderDeadline() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "slow clients");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      // The deadline has passed for a connection opened after the socket.
      try (RawHttp raw = RawHttp.connect(cluster.gatewayPort())) {
        raw.awaitClosedByServer(BOUND_SECONDS);
      }
      assertThat(socket.isClosed()).isFalse();
      JsonObject joined = socket.call("client.conversation.join", new JsonObject().put("conversationId", conversation));
      assertThat(joined.getString("conversationId")).isEqualTo(conversation);
    }
  }

  @Test
  void aUserMayOpenOnlySoManySockets() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    BridgeClient first = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
    try (BridgeClient second = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
        BridgeClient bobs = BridgeClient.connect(client, cluster.gatewayPort(), bob.token())) {
      assertThatThrownBy(() -> BridgeClient.connect(client, cluster.gatewayPort(), alice.token()))
          .satisfies(e -> assertThat(((UpgradeRejectedException) rootOf(e)).getStatus()).isEqualTo(429));
      assertThat(xhrStreamingStatus(alice.token())).as("a SockJS session counts too").isEqualTo(429);
      assertThat(second.call("client.conversation.join", new JsonObject()
          .put("conversationId", api.createConversation(alice, "still fine"))).getString("conversationId")).isNotNull();

      first.close();
      // The gateway notices the close a moment later; then a socket may be opened again.
      Wait.until("a socket can be opened again", Duration.ofSeconds(15), () -> {
        try {
          BridgeClient.connect(client, cluster.gatewayPort(), alice.token()).close();
          return true;
        } catch (RuntimeException e) {
          return false;
        }
      });
    }
  }

  @Test
  void aSocketMayRegisterOnlySoManyRooms() {
    Account alice = api.register("alice");
    String one = api.createConversation(alice, "one");
    String two = api.createConversation(alice, "two");
    String three = api.createConversation(alice, "three");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(one);
      socket.enter(two);
      socket.register("client.room." + three);
      JsonObject refused = socket.awaitError();
      assertThat(refused.getInteger("failureCode")).isEqualTo(429);
      assertThat(refused.getString("address")).isEqualTo("client.room." + three);

      socket.send(new JsonObject().put("type", "unregister").put("address", "client.room." + two));
      socket.enter(three);
      socket.call("client.chat.send", new JsonObject().put("conversationId", three).put("text", "in three"));
      assertThat(socket.awaitEvent("new_message").getString("conversationId")).isEqualTo(three);
    }
  }

  private int xhrStreamingStatus(String token) {
    HttpClient http = client.createHttpClient();
    try {
      return Wait.on(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(cluster.gatewayPort()).setURI("/eventbus/000/limits1/xhr_streaming?token=" + token))
          .compose(request -> request.send()).map(response -> response.statusCode()), 15);
    } finally {
      http.close();
    }
  }

  private static Throwable rootOf(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
