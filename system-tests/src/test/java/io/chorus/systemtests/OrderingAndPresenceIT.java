package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Several gateways sharing rooms: every member sees the persisted events of a conversation in seq order
 * with no gap and no duplicate, and presence is per user, cluster-wide, and survives the loss of a
 * gateway.
 */
class OrderingAndPresenceIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static boolean persisted(JsonObject event) {
    return event.containsKey("seq");
  }

  private static JsonObject message(String conversationId, String text, String clientMsgId, boolean ai) {
    return new JsonObject().put("conversationId", conversationId).put("text", text).put("clientMsgId", clientMsgId)
        .put("ai", ai);
  }

  @Test
  void twentyClientsOnTwoGatewaysSeeTheSameGapFreeSequence() {
    List<Account> members = IntStream.range(0, 20).mapToObj(i -> api.register("member" + i)).toList();
    String conversation =
        api.createConversation(members.get(0), "busy", members.subList(1, 20).toArray(Account[]::new));
    cluster.provider.answerWith(IntStream.range(0, 30).mapToObj(i -> "t" + i + " ").toList(), 5);

    List<BridgeClient> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < members.size(); i++) {
        int port = i % 2 == 0 ? cluster.gatewayPort() : cluster.secondGatewayPort();
        BridgeClient socket = BridgeClient.connect(client, port, members.get(i).token());
        socket.enter(conversation);
        sockets.add(socket);
      }
      List<Future<JsonObject>> sends = new ArrayList<>();
      for (int n = 0; n < 20; n++) {
        for (int s = 0; s < 10; s++) {
          boolean ai = n == 3 && s < 2; // two answers stream while the others keep sending
          sends.add(sockets.get(s).request("client.chat.send",
              message(conversation, "m" + n + " from " + s, s + "-" + n, ai)));
        }
      }
      Wait.on(Future.all(sends), 60);
      int expected = 200 + 2; // every message, and the two answers

      List<Long> reference = null;
      for (BridgeClient socket : sockets) {
        List<Long> seqs = socket.awaitEvents(OrderingAndPresenceIT::persisted, expected, WAIT).stream()
            .map(e -> e.getLong("seq")).toList();
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, expected).boxed().toList());
        if (reference != null) {
          assertThat(seqs).isEqualTo(reference);
        }
        reference = seqs;
      }
      for (BridgeClient socket : sockets) {
        assertThat(socket.drainEvents().stream().filter(OrderingAndPresenceIT::persisted)).isEmpty();
      }
    } finally {
      sockets.forEach(BridgeClient::close);
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void aSecondTabDoesNotJoinTwiceAndTheUserLeavesWithTheLastTab() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(bob, "presence", alice);

    try (BridgeClient bobSocket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token())) {
      bobSocket.enter(conversation);
      BridgeClient tabOnA = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
      JsonObject joined = tabOnA.enter(conversation);
      assertThat(BridgeClient.usernames(joined.getJsonArray("online"))).containsExactlyInAnyOrder("bob", "alice");
      BridgeClient tabOnB = BridgeClient.connect(client, cluster.secondGatewayPort(), alice.token());
      tabOnB.enter(conversation);

      tabOnA.close();
      tabOnB.close();
      List<String> seen = bobSocket.presenceEvents(alice.userId(), 2, WAIT);
      assertThat(seen).containsExactly("user_joined", "user_left");

      // Alice comes back: the next presence event is a join, so nothing else was announced in between.
      try (BridgeClient again = BridgeClient.connect(client, cluster.secondGatewayPort(), alice.token())) {
        again.enter(conversation);
        assertThat(bobSocket.presenceEvents(alice.userId(), 1, WAIT)).containsExactly("user_joined");
      }
    }
  }

  @Test
  void aMessageSentFromOneTabAppearsOnceInEveryTab() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "tabs");
    try (BridgeClient tabOnA = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
        BridgeClient tabOnB = BridgeClient.connect(client, cluster.secondGatewayPort(), alice.token())) {
      tabOnA.enter(conversation);
      tabOnB.enter(conversation);

      tabOnA.call("client.chat.send", message(conversation, "from tab A", "tab-1", false));
      tabOnB.call("client.chat.send", message(conversation, "from tab B", "tab-2", false));

      for (BridgeClient tab : List.of(tabOnA, tabOnB)) {
        List<JsonObject> seen = tab.awaitEvents(OrderingAndPresenceIT::persisted, 2, WAIT);
        assertThat(seen).extracting(e -> e.getString("content")).containsExactly("from tab A", "from tab B");
      }
      // A marker after both: had either message arrived twice, it would come before the marker.
      tabOnA.call("client.chat.send", message(conversation, "marker", "tab-3", false));
      for (BridgeClient tab : List.of(tabOnA, tabOnB)) {
        assertThat(tab.awaitEvent(OrderingAndPresenceIT::persisted, WAIT).getString("content")).isEqualTo("marker");
      }
    }
  }

  @Test
  void socketsThatCloseWhileTheirRegisterIsUnderWayLeaveNoOneOnlineAndNoRoomOpen() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(bob, "ghosts", alice);

    try (BridgeClient bobSocket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token())) {
      bobSocket.enter(conversation);
      for (int i = 0; i < 10; i++) {
        BridgeClient tab = BridgeClient.connect(client, i % 2 == 0 ? cluster.gatewayPort()
            : cluster.secondGatewayPort(), alice.token());
        tab.register("client.room." + conversation); // the gateway is still checking membership...
        tab.close(); // ...when the socket goes
      }
      JsonObject join = new JsonObject().put("conversationId", conversation);
      List<String> aliceEvents = new ArrayList<>();
      Wait.until("alice offline, every join of hers matched by a leave, only bob's room open", WAIT, () -> {
        bobSocket.drainEvents().stream().filter(e -> alice.userId().equals(e.getString("userId")))
            .forEach(e -> aliceEvents.add(e.getString("type")));
        long joins = aliceEvents.stream().filter("user_joined"::equals).count();
        return BridgeClient.usernames(bobSocket.call("client.conversation.join", join).getJsonArray("online"))
            .equals(List.of("bob"))
            && joins == aliceEvents.size() - joins
            && cluster.gatewayA.activeRooms() == 1 && cluster.gatewayB.activeRooms() == 0;
      });
    }
  }
}
