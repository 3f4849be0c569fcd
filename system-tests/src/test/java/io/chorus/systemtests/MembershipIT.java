package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Leaving a conversation and removing a member, across two gateways: the room hears it in its seq order,
 * the person hears it on every device, and their open sockets stop receiving the room.
 */
class MembershipIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void theOwnerRemovesAMemberWhoseSocketsOnAnotherGatewayLeaveTheRoom() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "team", bob);

    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
        BridgeClient bobSocket = BridgeClient.connect(client, cluster.secondGatewayPort(), bob.token())) {
      aliceSocket.enter(conversation);
      bobSocket.register("client.user." + bob.userId());
      bobSocket.enter(conversation);
      assertThat(aliceSocket.presenceEvents(bob.userId(), 1, WAIT)).containsExactly("user_joined");
      aliceSocket.call("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "welcome").put("clientMsgId", "m-1"));

      assertThat(api.call(HttpMethod.DELETE, "/api/conversations/" + conversation + "/members/" + alice.userId(),
          bob.token(), null).statusCode()).as("a member removes another").isEqualTo(403);
      JsonObject after = api.expect(200, HttpMethod.DELETE,
          "/api/conversations/" + conversation + "/members/" + bob.userId(), alice.token(), null);
      assertThat(after.getJsonArray("members").encode()).doesNotContain(bob.userId());

      for (BridgeClient socket : new BridgeClient[] {aliceSocket, bobSocket}) {
        JsonObject removed = socket.awaitEvent(e -> "member_removed".equals(e.getString("type")), WAIT);
        assertThat(removed.getLong("seq")).isEqualTo(2);
        assertThat(removed.getString("userId")).isEqualTo(bob.userId());
        assertThat(removed.getJsonObject("removedBy").getString("username")).isEqualTo(alice.username());
      }
      JsonObject personal = bobSocket.awaitEvent(e -> "conversation_removed".equals(e.getString("type")), WAIT);
      assertThat(personal.getString("conversationId")).isEqualTo(conversation);
      // bob's socket left the room on its gateway (it never unregistered): alice sees him go.
      assertThat(aliceSocket.presenceEvents(bob.userId(), 1, WAIT)).containsExactly("user_left");

      assertThat(bobSocket.failureCode("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "still here?").put("clientMsgId", "b-1"))).isEqualTo(403);
      assertThat(api.call(HttpMethod.GET, "/api/conversations/" + conversation + "/messages", bob.token(), null)
          .statusCode()).isEqualTo(403);
      JsonObject history = api.expect(200, HttpMethod.GET, "/api/conversations/" + conversation
          + "/messages?afterSeq=0", alice.token(), null);
      assertThat(history.getJsonArray("messages").getJsonObject(1).getString("type")).isEqualTo("member_removed");
    }
  }

  @Test
  void leavingTheRoomOverTheBridgeStopsItsEventsButKeepsTheMembership() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "just looking", bob);

    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.secondGatewayPort(), alice.token());
        BridgeClient bobSocket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token())) {
      aliceSocket.enter(conversation);
      bobSocket.enter(conversation);
      assertThat(aliceSocket.presenceEvents(bob.userId(), 1, WAIT)).containsExactly("user_joined");

      assertThat(bobSocket.call("client.conversation.leave", new JsonObject().put("conversationId", conversation)))
          .isEqualTo(new JsonObject());

      assertThat(aliceSocket.presenceEvents(bob.userId(), 1, WAIT)).as("bob's only socket left the room")
          .containsExactly("user_left");
      assertThat(api.expect(200, HttpMethod.GET, "/api/conversations", bob.token(), null).encode())
          .as("still a member").contains(conversation);
      // Entering again works as before: he is a member.
      bobSocket.enter(conversation);
      assertThat(aliceSocket.presenceEvents(bob.userId(), 1, WAIT)).containsExactly("user_joined");
    }
  }

  @Test
  void anOwnerWhoLeavesOverHttpHandsTheConversationOn() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    Account carol = api.register("carol");
    String conversation = api.createConversation(alice, "hand over", bob);

    assertThat(api.expect(200, HttpMethod.DELETE, "/api/conversations/" + conversation + "/members/"
        + alice.userId(), alice.token(), null)).isEqualTo(new JsonObject());
    // bob owns it now.
    api.expect(200, HttpMethod.POST, "/api/conversations/" + conversation + "/members", bob.token(),
        new JsonObject().put("username", carol.username()));
    assertThat(api.call(HttpMethod.DELETE, "/api/conversations/" + conversation + "/members/not-a-uuid",
        bob.token(), null).statusCode()).isEqualTo(404);
  }
}
