package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.BridgeClient;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.Wait;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input gets the contract's code, the socket and the server stay up, and nothing is
 * stored: each test ends by checking the conversation is untouched and the socket still answers.
 */
class BadInputIT extends ClusterTestBase {
  private Account alice;
  private Account bob;
  private Account mallory;
  private String conversation;
  private BridgeClient socket;
  private long expectedStored;

  @BeforeEach
  void conversationOfAliceAndBob() {
    alice = api.register("alice");
    bob = api.register("bob");
    mallory = api.register("mallory");
    conversation = api.createConversation(alice, "private", bob);
    socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
    socket.enter(conversation);
    expectedStored = 0;
  }

  @AfterEach
  void nothingWasStoredAndTheSocketStillWorks() {
    assertThat(socket.isClosed()).isFalse();
    JsonObject joined = socket.call("client.conversation.join", new JsonObject().put("conversationId", conversation));
    assertThat(joined.getLong("lastSeq")).as("nothing stored").isEqualTo(expectedStored);
    assertThat(cluster.database.count(client,
        "SELECT count(*) FROM messages WHERE conversation_id = '" + conversation + "'")).isEqualTo(expectedStored);
    socket.close();
  }

  private JsonObject sendBody(String text) {
    return new JsonObject().put("conversationId", conversation).put("text", text).put("clientMsgId", "c1");
  }

  @Test
  void malformedJsonIsRefusedAndTheSocketStaysUp() {
    socket.sendText("{\"type\":\"send\",\"address\":");
    assertThat(socket.awaitError().getString("body")).isEqualTo("invalid_json");
  }

  @Test
  void wrongTypesAndMissingFieldsAre400() {
    assertThat(socket.failureCode("client.chat.send",
        new JsonObject().put("conversationId", conversation).put("text", 42))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send",
        new JsonObject().put("conversationId", conversation).put("text", "hi").put("ai", "yes"))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send", new JsonObject().put("text", "no conversation")))
        .isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send",
        new JsonObject().put("conversationId", "not-a-uuid").put("text", "hi"))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.history",
        new JsonObject().put("conversationId", conversation).put("afterSeq", "ten"))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.typing", new JsonObject().put("conversationId", conversation)))
        .isEqualTo(400);
  }

  @Test
  void aBodyThatIsNotAnObjectIs400() {
    assertThat(socket.failureCode("client.chat.send", "just text")).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send", new io.vertx.core.json.JsonArray().add(1))).isEqualTo(400);
  }

  @Test
  void textOverTheLimitIs400() {
    assertThat(socket.failureCode("client.chat.send", sendBody("x".repeat(32_001)))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send", sendBody(""))).isEqualTo(400);
  }

  @Test
  void anOversizedFrameIs413() {
    assertThat(socket.failureCode("client.chat.send", sendBody("y".repeat(300 * 1024)))).isEqualTo(413);
  }

  @Test
  void anUnknownConversationIs404() {
    String unknown = UUID.randomUUID().toString();
    assertThat(socket.failureCode("client.chat.send",
        new JsonObject().put("conversationId", unknown).put("text", "hello?"))).isEqualTo(404);
    assertThat(socket.failureCode("client.conversation.join", new JsonObject().put("conversationId", unknown)))
        .isEqualTo(404);
  }

  @Test
  void addressesOutsideTheClientContractAreDenied() {
    socket.send(new JsonObject().put("type", "send").put("address", "storage.message.append")
        .put("body", new JsonObject()).put("replyAddress", UUID.randomUUID().toString()));
    assertThat(socket.awaitError().getString("body")).isEqualTo("access_denied");
    socket.send(new JsonObject().put("type", "send").put("address", "client.admin.drop").put("body", new JsonObject()));
    assertThat(socket.awaitError().getString("body")).isEqualTo("access_denied");
    socket.register("conv." + conversation + ".events");
    assertThat(socket.awaitError().getString("body")).isEqualTo("access_denied");
    socket.send(new JsonObject().put("type", "publish").put("address", "client.chat.send").put("body",
        sendBody("published")));
    assertThat(socket.awaitError().getString("body")).isIn("rejected", "access_denied");
  }

  @Test
  void headersCannotChangeWhoTheSenderIs() {
    try (BridgeClient bobSocket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token())) {
      bobSocket.enter(conversation);
      JsonObject forged = new JsonObject().put("x-chorus-user-id", alice.userId()).put("userId", alice.userId())
          .put("x-chorus-username", alice.username());
      JsonObject reply = Wait.on(bobSocket.request("client.chat.send", sendBody("who am i"), forged), 15);
      JsonObject event = socket.awaitEvent("new_message");
      assertThat(event.getString("messageId")).isEqualTo(reply.getString("messageId"));
      assertThat(event.getString("userId")).isEqualTo(bob.userId());
      assertThat(event.getString("username")).isEqualTo(bob.username());
    }
    expectedStored = 1;
  }

  @Test
  void socketsWithoutAValidTokenAreRefusedOnTheUpgrade() {
    assertThatThrownBy(() -> BridgeClient.connect(client, cluster.gatewayPort(), null))
        .satisfies(e -> assertThat(((UpgradeRejectedException) rootOf(e)).getStatus()).isEqualTo(401));
    assertThatThrownBy(() -> BridgeClient.connect(client, cluster.gatewayPort(), alice.token() + "x"))
        .satisfies(e -> assertThat(((UpgradeRejectedException) rootOf(e)).getStatus()).isEqualTo(401));
    String otherSecretToken = tokenSignedWithAnotherKey();
    assertThatThrownBy(() -> BridgeClient.connect(client, cluster.gatewayPort(), otherSecretToken))
        .satisfies(e -> assertThat(((UpgradeRejectedException) rootOf(e)).getStatus()).isEqualTo(401));
  }

  @Test
  void aTokenThatExpiresWhileTheSocketIsOpenIsRefusedWith401AndTheSocketClosed() {
    long expiresAt = System.currentTimeMillis() / 1000 + 5;
    BridgeClient sending = BridgeClient.connect(client, cluster.gatewayPort(), aliceTokenExpiringAt(expiresAt));
    BridgeClient registering = BridgeClient.connect(client, cluster.gatewayPort(), aliceTokenExpiringAt(expiresAt));
    BridgeClient listening = BridgeClient.connect(client, cluster.gatewayPort(), aliceTokenExpiringAt(expiresAt));
    try {
      // Only the listener pings: a ping after the expiry closes a socket, which would race the checks below.
      sending.stopPinging();
      registering.stopPinging();
      sending.enter(conversation); // still valid: works as usual
      listening.enter(conversation);
      Wait.until("the token expired", Duration.ofSeconds(15), () -> System.currentTimeMillis() / 1000 > expiresAt);

      // A socket that only listens is closed at its next ping.
      Wait.until("the listening socket closed", Duration.ofSeconds(15), listening::isClosed);

      assertThat(sending.failureCode("client.chat.send", sendBody("too late"))).isEqualTo(401);
      Wait.until("the sending socket closed", Duration.ofSeconds(10), sending::isClosed);
      registering.register("client.room." + conversation);
      assertThat(registering.awaitError().getInteger("failureCode")).isEqualTo(401);
      Wait.until("the registering socket closed", Duration.ofSeconds(10), registering::isClosed);
    } finally {
      sending.close();
      registering.close();
      listening.close();
    }
  }

  @Test
  void nonMembersCanNeitherListenNorSpeak() {
    try (BridgeClient intruder = BridgeClient.connect(client, cluster.gatewayPort(), mallory.token())) {
      intruder.register("client.room." + conversation);
      assertThat(intruder.awaitError().getString("body")).isEqualTo("rejected");
      intruder.register("client.user." + alice.userId());
      assertThat(intruder.awaitError().getString("body")).isEqualTo("rejected");
      assertThat(intruder.failureCode("client.chat.send", sendBody("let me in"))).isEqualTo(403);
      assertThat(intruder.failureCode("client.conversation.join",
          new JsonObject().put("conversationId", conversation))).isEqualTo(403);
      assertThat(intruder.failureCode("client.chat.history",
          new JsonObject().put("conversationId", conversation))).isEqualTo(403);
      assertThat(intruder.failureCode("client.chat.typing",
          new JsonObject().put("conversationId", conversation).put("isTyping", true))).isEqualTo(403);

      // What Alice's room sees next is her own message, not anything from the intruder.
      socket.call("client.chat.typing", new JsonObject().put("conversationId", conversation).put("isTyping", true));
      assertThat(socket.awaitEvent("user_typing").getString("userId")).isEqualTo(alice.userId());
    }
    api.expect(403, HttpMethod.GET, "/api/conversations/" + conversation + "/messages", mallory.token(), null);
    api.expect(403, HttpMethod.POST, "/api/conversations/" + conversation + "/messages", mallory.token(),
        new JsonObject().put("text", "let me in"));
  }

  private static Throwable rootOf(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A token as the gateway issues it, with the harness's key, but running out at {@code epochSeconds}. */
  private String aliceTokenExpiringAt(long epochSeconds) {
    return jwtWithKey(ClusterHarness.JWT_SECRET).generateToken(new JsonObject().put("sub", alice.userId())
        .put("name", alice.username()).put("exp", epochSeconds));
  }

  /** A well-formed token for Alice's id signed with a key the gateway does not know. */
  private String tokenSignedWithAnotherKey() {
    return jwtWithKey("some-other-secret-that-is-long-enough-0123").generateToken(
        new JsonObject().put("sub", alice.userId()).put("name", alice.username()));
  }

  private JWTAuth jwtWithKey(String secret) {
    return JWTAuth.create(client, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }
}
