package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.SseClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's server side on two gateways: read markers synced across a user's devices (sockets and event streams on
 * either gateway) with unread counts in the conversation list, regenerating an answer, who stopped an answer, and
 * conversations where the assistant answers every message.
 */
class ReadMarkersAndRegenerateIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aMarkerSetOnOneDeviceReachesTheOthersAndTheUnreadCountDrops() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "reading", bob);
    for (int i = 1; i <= 3; i++) {
      send(bob, conversation, "from bob " + i);
    }
    JsonObject listed = entry(alice, conversation);
    assertThat(listed.getLong("unreadCount")).isEqualTo(3);
    assertThat(listed.getLong("lastReadSeq")).isZero();
    JsonObject last = listed.getJsonObject("lastMessage");
    assertThat(last.getLong("seq")).isEqualTo(3);
    assertThat(last.getString("type")).isEqualTo("new_message");
    assertThat(last.getString("userId")).isEqualTo(bob.userId());
    assertThat(last.getString("username")).isEqualTo(bob.username());
    assertThat(last.getString("preview")).isEqualTo("from bob 3");
    assertThat(last.getString("createdAt")).isNotBlank();
    assertThat(entry(bob, conversation).getLong("unreadCount")).as("his own messages are not unread for him").isZero();

    try (BridgeClient phone = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
        BridgeClient laptop = BridgeClient.connect(client, cluster.secondGatewayPort(), alice.token());
        SseClient tablet = SseClient.get(client, cluster.secondGatewayPort(), "/api/events", alice.token(), null)) {
      laptop.register("client.user." + alice.userId());
      laptop.enter(conversation); // its reply comes after the register took effect

      JsonObject reply = phone.call("client.conversation.read",
          new JsonObject().put("conversationId", conversation).put("seq", 2));
      assertThat(reply).isEqualTo(new JsonObject().put("conversationId", conversation).put("lastReadSeq", 2));
      JsonObject marker = laptop.awaitEvent(e -> "read_marker".equals(e.getString("type")), WAIT);
      assertThat(marker).isEqualTo(new JsonObject().put("type", "read_marker").put("conversationId", conversation)
          .put("lastReadSeq", 2));
      assertThat(tablet.await("read_marker", WAIT).data().getLong("lastReadSeq")).isEqualTo(2);
      assertThat(entry(alice, conversation).getLong("unreadCount")).isEqualTo(1);
      assertThat(entry(alice, conversation).getLong("lastReadSeq")).isEqualTo(2);

      assertThat(api.expect(200, HttpMethod.POST, "/api/conversations/" + conversation + "/read", alice.token(),
          new JsonObject().put("seq", 1))).as("a lower seq keeps the marker")
          .isEqualTo(new JsonObject().put("conversationId", conversation).put("lastReadSeq", 2));
      assertThat(api.expect(200, HttpMethod.POST, "/api/conversations/" + conversation + "/read", alice.token(),
          new JsonObject().put("seq", 3)).getLong("lastReadSeq")).isEqualTo(3);
      assertThat(laptop.awaitEvent(e -> "read_marker".equals(e.getString("type")), WAIT).getLong("lastReadSeq"))
          .as("the next marker event is the move to 3: the lower seq moved nothing").isEqualTo(3);
      assertThat(entry(alice, conversation).getLong("unreadCount")).isZero();
      assertThat(entry(bob, conversation).getLong("lastReadSeq")).as("markers are per member").isZero();
    }
  }

  @Test
  void hostileReadsAreRefusedWithTheContractsCodes() {
    Account alice = api.register("alice");
    Account eve = api.register("eve");
    String conversation = api.createConversation(alice, "private");
    send(alice, conversation, "one");
    String path = "/api/conversations/" + conversation + "/read";
    assertThat(status(eve, path, new JsonObject().put("seq", 1))).as("not a member").isEqualTo(403);
    assertThat(status(alice, "/api/conversations/" + UUID.randomUUID() + "/read", new JsonObject().put("seq", 0)))
        .isEqualTo(404);
    assertThat(status(alice, path, new JsonObject().put("seq", 2))).as("beyond lastSeq").isEqualTo(400);
    assertThat(status(alice, path, new JsonObject().put("seq", -1))).isEqualTo(400);
    assertThat(status(alice, path, new JsonObject().put("seq", "1"))).isEqualTo(400);
    assertThat(status(alice, path, new JsonObject().put("seq", 1.5))).isEqualTo(400);
    assertThat(status(alice, path, new JsonObject())).isEqualTo(400);
    assertThat(status(alice, path, "[1]")).isEqualTo(400);
    assertThat(entry(alice, conversation).getLong("lastReadSeq")).as("nothing moved").isZero();
    try (BridgeClient socket = BridgeClient.connect(client, cluster.secondGatewayPort(), eve.token())) {
      assertThat(socket.failureCode("client.conversation.read",
          new JsonObject().put("conversationId", conversation).put("seq", 1))).isEqualTo(403);
    }
    try (BridgeClient socket = BridgeClient.connect(client, cluster.secondGatewayPort(), alice.token())) {
      assertThat(socket.failureCode("client.conversation.read",
          new JsonObject().put("conversationId", conversation).put("seq", 9))).isEqualTo(400);
      assertThat(socket.failureCode("client.conversation.read",
          new JsonObject().put("conversationId", conversation).put("seq", true))).isEqualTo(400);
      assertThat(socket.call("client.conversation.read",
          new JsonObject().put("conversationId", conversation).put("seq", 1)).getLong("lastReadSeq")).isEqualTo(1);
    }
  }

  private JsonObject send(Account who, String conversation, String text) {
    return api.expect(201, HttpMethod.POST, "/api/conversations/" + conversation + "/messages", who.token(),
        new JsonObject().put("text", text));
  }

  private int status(Account who, String path, Object body) {
    return api.call(HttpMethod.POST, path, who.token(), body).statusCode();
  }

  /** The conversation's entry in the user's list. */
  private JsonObject entry(Account who, String conversation) {
    return api.expect(200, HttpMethod.GET, "/api/conversations", who.token(), null).getJsonArray("conversations")
        .stream().map(JsonObject.class::cast).filter(c -> conversation.equals(c.getString("conversationId")))
        .findFirst().orElseThrow();
  }
}
