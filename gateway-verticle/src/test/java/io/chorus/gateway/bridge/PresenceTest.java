package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways' presence and leases on one Vert.x (its shared data stands in for the cluster's), with upkeep
 * run by hand so every interleaving the tests need is exact.
 */
class PresenceTest {
  private final Vertx vertx = Vertx.vertx();
  private final String conversation = UUID.randomUUID().toString();
  private final List<String> announced = new ArrayList<>();
  private final PresenceMap mapA = new PresenceMap(new ClusterClient(vertx), "gateway-a");
  private final PresenceMap mapB = new PresenceMap(new ClusterClient(vertx), "gateway-b");
  private final Presence gatewayA = new Presence(mapA);
  private final Presence gatewayB = new Presence(mapB);
  private final GatewayLease leaseA = new GatewayLease(new ClusterClient(vertx), mapA, gatewayA::announceAgain);
  private final GatewayLease leaseB = new GatewayLease(new ClusterClient(vertx), mapB, gatewayB::announceAgain);

  @BeforeEach
  void listen() throws Exception {
    vertx.eventBus().<JsonObject>consumer(Addresses.conversationEvents(conversation), m -> {
      synchronized (announced) {
        announced.add(m.body().getString("type") + " " + m.body().getString("username"));
      }
    }).completion().await(5, TimeUnit.SECONDS);
    // On the same context as the listener (both registered from this thread), so it answers after it.
    vertx.eventBus().consumer("flush", m -> m.reply("ok")).completion().await(5, TimeUnit.SECONDS);
    leaseA.upkeep().await(5, TimeUnit.SECONDS);
    leaseB.upkeep().await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private List<String> announced() throws Exception {
    // Publishing is asynchronous: a round trip through the listener's context lets earlier events land.
    vertx.eventBus().request("flush", "").await(5, TimeUnit.SECONDS);
    synchronized (announced) {
      return List.copyOf(announced);
    }
  }

  private List<String> online() throws Exception {
    JsonArray users = gatewayB.online(conversation).await(5, TimeUnit.SECONDS);
    return users.stream().map(u -> ((JsonObject) u).getString("username")).toList();
  }

  @Test
  void aUserOnTwoGatewaysLeavesWithTheLastSocket() throws Exception {
    gatewayA.enter(conversation, "u-alice", "alice").await(5, TimeUnit.SECONDS);
    gatewayB.enter(conversation, "u-alice", "alice").await(5, TimeUnit.SECONDS);
    gatewayA.enter(conversation, "u-alice", "alice").await(5, TimeUnit.SECONDS);
    gatewayA.leave(conversation, "u-alice", "alice");
    gatewayA.leave(conversation, "u-alice", "alice");
    gatewayA.enter(conversation, "u-bob", "bob").await(5, TimeUnit.SECONDS);
    assertThat(online()).containsExactlyInAnyOrder("alice", "bob");

    gatewayB.leave(conversation, "u-alice", "alice");
    gatewayB.enter(conversation, "u-carol", "carol").await(5, TimeUnit.SECONDS); // after the leave, in order

    assertThat(online()).containsExactlyInAnyOrder("bob", "carol");
    assertThat(announced()).containsExactly("user_joined alice", "user_joined bob", "user_left alice",
        "user_joined carol");
  }

  @Test
  void aGatewayWhoseLeaseLapsedAnnouncesItsUsersAgainWhenItRenews() throws Exception {
    gatewayA.enter(conversation, "u-alice", "alice").await(5, TimeUnit.SECONDS);

    // Gateway A pauses past its lease: B sweeps A's users out.
    vertx.sharedData().<String, String>getAsyncMap("chorus.gateways")
        .compose(leases -> leases.remove("gateway-a")).await(5, TimeUnit.SECONDS);
    leaseB.upkeep().await(5, TimeUnit.SECONDS);
    assertThat(online()).isEmpty();

    // A wakes up with alice's socket still open: she is back.
    leaseA.upkeep().await(5, TimeUnit.SECONDS);
    assertThat(online()).containsExactly("alice");
    assertThat(announced()).containsExactly("user_joined alice", "user_left alice", "user_joined alice");
  }
}
