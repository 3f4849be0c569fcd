package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness.GatewayNode;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Losing a gateway: one that stops takes its users offline at once, one cut off the cluster abruptly
 * (no goodbye) takes them offline when its lease lapses. In a cluster of its own, since a node cut off
 * abruptly shakes the cluster it leaves.
 */
class GatewayLossIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aGatewayThatStopsOrDiesTakesItsUsersOffline() {
    Account alice = api.register("alice");
    Account carol = api.register("carol");
    Account bob = api.register("bob");
    String conversation = api.createConversation(bob, "failover", alice, carol);

    try (BridgeClient bobSocket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token())) {
      bobSocket.enter(conversation);
      GatewayNode stopping = cluster.startGatewayNode();
      GatewayNode dying = cluster.startGatewayNode();
      BridgeClient aliceSocket = BridgeClient.connect(client, stopping.port(), alice.token());
      aliceSocket.enter(conversation);
      BridgeClient carolSocket = BridgeClient.connect(client, dying.port(), carol.token());
      carolSocket.enter(conversation);
      assertThat(bobSocket.presenceEvents(alice.userId(), 1, WAIT)).containsExactly("user_joined");

      Wait.on(stopping.vertx().close(), 30);
      assertThat(bobSocket.presenceEvents(alice.userId(), 1, WAIT)).containsExactly("user_left");

      dying.crash();
      assertThat(bobSocket.presenceEvents(carol.userId(), 2, WAIT)).containsExactly("user_joined", "user_left");
      JsonObject rejoin = bobSocket.call("client.conversation.join", new JsonObject().put("conversationId",
          conversation));
      assertThat(BridgeClient.usernames(rejoin.getJsonArray("online"))).containsExactly("bob");
      Wait.on(dying.vertx().close(), 30);
    }
  }

  @Test
  void aSocketThatStopsPingingIsClosedAndItsUserGoesOffline() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(bob, "heartbeats", alice);
    GatewayNode strict = cluster.startGatewayNode(Map.of("BRIDGE_PING_TIMEOUT_MS", "1500"));
    try (BridgeClient bobSocket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token());
        BridgeClient silent = BridgeClient.connect(client, strict.port(), alice.token())) {
      bobSocket.enter(conversation);
      silent.enter(conversation);
      assertThat(bobSocket.presenceEvents(alice.userId(), 1, WAIT)).containsExactly("user_joined");

      silent.stopPinging();

      Wait.until("the silent socket is closed by the gateway", WAIT, silent::isClosed);
      assertThat(bobSocket.presenceEvents(alice.userId(), 1, WAIT)).containsExactly("user_left");
    } finally {
      Wait.on(strict.vertx().close(), 30);
    }
  }
}
