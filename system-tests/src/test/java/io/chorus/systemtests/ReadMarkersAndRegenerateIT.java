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
      JsonObject joined = laptop.enter(conversation); // its reply comes after the register took effect
      assertThat(joined.getLong("lastReadSeq")).isZero();
      assertThat(joined.getLong("unreadCount")).isEqualTo(3);
      assertThat(joined.getBoolean("answersEveryMessage")).isFalse();

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

  @Test
  void regenerateAnswersTheSameQuestionAgainAsANewMessageFromTheHistoryUpToIt() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    Account carol = api.register("carol");
    Account eve = api.register("eve");
    String conversation = api.createConversation(alice, "again", bob, carol);
    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
        BridgeClient bobSocket = BridgeClient.connect(client, cluster.secondGatewayPort(), bob.token())) {
      aliceSocket.enter(conversation);
      bobSocket.enter(conversation);
      JsonObject asked = aliceSocket.call("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "what is the capital of France?").put("ai", true));
      String question = asked.getString("messageId");
      JsonObject first = aliceSocket.followStream(asked.getString("streamId"), chunk -> { }, WAIT);
      assertThat(first.getString("type")).isEqualTo("ai_response_complete");
      send(bob, conversation, "a later message the second answer must not see");
      JsonObject aliceUsageBefore = usage(alice, conversation);
      assertThat(aliceUsageBefore.getLong("answers")).isEqualTo(1);
      int requestsBefore = cluster.provider.requests().size();

      JsonObject again = api.expect(201, HttpMethod.POST, "/api/conversations/" + conversation + "/messages/"
          + first.getString("messageId") + "/regenerate", bob.token(), null);
      assertThat(again.getString("messageId")).as("the question asked again").isEqualTo(question);
      assertThat(again.getJsonObject("aiThinking").getString("replyTo")).isEqualTo(question);
      String streamId = again.getString("streamId");
      assertThat(streamId).isNotEqualTo(asked.getString("streamId"));
      StringBuilder streamed = new StringBuilder();
      JsonObject second = aliceSocket.followStream(streamId, c -> streamed.append(c.getString("delta")), WAIT);
      assertThat(second.getString("type")).isEqualTo("ai_response_complete");
      assertThat(second.getString("replyTo")).isEqualTo(question);
      assertThat(second.getString("messageId")).as("a new message").isNotEqualTo(first.getString("messageId"));
      assertThat(second.getLong("seq")).as("after the later message").isEqualTo(first.getLong("seq") + 2);
      assertThat(second.getString("content")).isEqualTo(streamed.toString());
      assertThat(bobSocket.followStream(streamId, c -> { }, WAIT).getLong("seq")).isEqualTo(second.getLong("seq"));
      JsonObject providerRequest = cluster.provider.requests().get(requestsBefore);
      String sentToModel = providerRequest.getJsonArray("messages").encode();
      assertThat(sentToModel).contains("what is the capital of France?")
          .doesNotContain("a later message the second answer must not see");
      // Bob asked for the second answer, so he spent its tokens, not alice who wrote the question.
      JsonObject secondUsage = second.getJsonObject("usage");
      assertThat(secondUsage.getLong("completionTokens")).isPositive();
      assertThat(usage(bob, conversation)).isEqualTo(aliceUsageBefore.copy().put("answers", 1L)
          .put("promptTokens", secondUsage.getLong("promptTokens"))
          .put("completionTokens", secondUsage.getLong("completionTokens"))
          .put("estimatedAnswers", secondUsage.getBoolean("estimated", false) ? 1L : 0L));
      assertThat(usage(alice, conversation)).as("alice's usage does not grow").isEqualTo(aliceUsageBefore);

      // The bridge twin, from the question itself.
      JsonObject third = aliceSocket.call("client.chat.regenerate",
          new JsonObject().put("conversationId", conversation).put("messageId", question));
      assertThat(aliceSocket.followStream(third.getString("streamId"), c -> { }, WAIT).getLong("seq"))
          .isEqualTo(second.getLong("seq") + 1);

      JsonArrayView history = history(alice, conversation);
      assertThat(history.seqs()).as("gap-free").containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(history.ofType("ai_response_complete")).extracting(e -> e.getString("replyTo"))
          .containsExactly(question, question, question);

      // Hostile or impossible asks.
      String base = "/api/conversations/" + conversation + "/messages/";
      assertThat(api.call(HttpMethod.POST, base + question + "/regenerate", eve.token(), null).statusCode())
          .as("not a member").isEqualTo(403);
      assertThat(api.call(HttpMethod.POST, base + UUID.randomUUID() + "/regenerate", alice.token(), null)
          .statusCode()).isEqualTo(404);
      assertThat(api.call(HttpMethod.POST, base + "not-an-id/regenerate", alice.token(), null).statusCode())
          .isEqualTo(404);
      String elsewhere = api.createConversation(alice, "elsewhere");
      String otherMessage = send(alice, elsewhere, "in another conversation").getString("messageId");
      assertThat(api.call(HttpMethod.POST, base + otherMessage + "/regenerate", alice.token(), null).statusCode())
          .as("a message of another conversation").isEqualTo(404);
      api.expect(200, HttpMethod.DELETE, "/api/conversations/" + conversation + "/members/" + carol.userId(),
          carol.token(), null);
      String notice = history(alice, conversation).ofType("member_left").get(0).getString("messageId");
      assertThat(api.call(HttpMethod.POST, base + notice + "/regenerate", alice.token(), null).statusCode())
          .as("a notice is neither a question nor an answer").isEqualTo(400);
      assertThat(aliceSocket.failureCode("client.chat.regenerate",
          new JsonObject().put("conversationId", conversation).put("messageId", 42))).isEqualTo(400);
    }
  }

  @Test
  void regenerateCountsAsAQuestionWithARunningAnswer() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "limits");
    cluster.provider.holdAnswers();
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      String question = socket.call("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "hold on").put("ai", true)).getString("messageId");
      String path = "/api/conversations/" + conversation + "/messages/" + question + "/regenerate";
      api.expect(201, HttpMethod.POST, path, alice.token(), null);
      api.expect(201, HttpMethod.POST, path, alice.token(), null);
      var refused = api.call(HttpMethod.POST, path, alice.token(), null);
      assertThat(refused.statusCode()).as("a fourth answer running at once").isEqualTo(429);
      assertThat(refused.bodyAsString()).contains("running or waiting");
      assertThat(socket.failureCode("client.chat.regenerate",
          new JsonObject().put("conversationId", conversation).put("messageId", question))).isEqualTo(429);
    } finally {
      cluster.provider.releaseAll();
    }
    Account bob = api.register("bob");
    String other = api.createConversation(bob, "after");
    String q = send(bob, other, "fine").getString("messageId");
    api.expect(201, HttpMethod.POST, "/api/conversations/" + other + "/messages/" + q + "/regenerate", bob.token(),
        null);
  }

  @Test
  void aStoppedAnswerSaysWhoStoppedItLiveAndInHistory() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "stop", bob);
    cluster.provider.answerWith(java.util.Collections.nCopies(200, "word "), 100);
    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      aliceSocket.enter(conversation);
      String streamId = aliceSocket.call("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "talk for a long time").put("ai", true)).getString("streamId");
      aliceSocket.awaitEvent(e -> "ai_response_chunk".equals(e.getString("type")), WAIT);
      try (var bobOnTheOtherGateway = new io.chorus.systemtests.support.ApiClient(client, cluster.secondGatewayPort())) {
        assertThat(bobOnTheOtherGateway.expect(200, HttpMethod.POST, "/api/conversations/" + conversation
            + "/streams/" + streamId + "/stop", bob.token(), null).getBoolean("stopped")).isTrue();
      }
      JsonObject stopped = aliceSocket.followStream(streamId, c -> { }, WAIT);
      assertThat(stopped.getString("type")).isEqualTo("ai_response_complete");
      assertThat(stopped.getString("finishReason")).isEqualTo("cancelled");
      JsonObject by = new JsonObject().put("userId", bob.userId()).put("username", bob.username());
      assertThat(stopped.getJsonObject("stoppedBy")).isEqualTo(by);
      assertThat(history(alice, conversation).ofType("ai_response_complete")).singleElement()
          .satisfies(e -> assertThat(e.getJsonObject("stoppedBy")).as("history shows it too").isEqualTo(by));

      // Stopped over the bridge by the one who asked; an answer that ends by itself names nobody.
      String second = aliceSocket.call("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "again").put("ai", true)).getString("streamId");
      aliceSocket.awaitEvent(e -> second.equals(e.getString("streamId"))
          && "ai_response_chunk".equals(e.getString("type")), WAIT);
      aliceSocket.call("client.chat.stop", new JsonObject().put("conversationId", conversation).put("streamId", second));
      assertThat(aliceSocket.followStream(second, c -> { }, WAIT).getJsonObject("stoppedBy"))
          .isEqualTo(new JsonObject().put("userId", alice.userId()).put("username", alice.username()));
    } finally {
      cluster.provider.answerWith(io.chorus.llm.testing.FakeSseServer.DEFAULT_DELTAS, 0);
    }
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      String streamId = socket.call("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "a short one").put("ai", true)).getString("streamId");
      JsonObject complete = socket.followStream(streamId, c -> { }, WAIT);
      assertThat(complete.getString("finishReason")).isEqualTo("stop");
      assertThat(complete.containsKey("stoppedBy")).isFalse();
    }
  }

  @Test
  void whenTheAssistantAnswersEveryMessageAPlainMessageGetsAnAnswer() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    Account eve = api.register("eve");
    String conversation = api.createConversation(alice, "one to one with AI", bob);
    String path = "/api/conversations/" + conversation;
    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      aliceSocket.enter(conversation);
      assertThat(send(bob, conversation, "before").containsKey("streamId")).as("not yet").isFalse();

      assertThat(api.call(HttpMethod.PATCH, path, bob.token(), new JsonObject()).statusCode()).isEqualTo(400);
      assertThat(api.call(HttpMethod.PATCH, path, bob.token(), new JsonObject().put("answersEveryMessage", "yes"))
          .statusCode()).isEqualTo(400);
      assertThat(api.call(HttpMethod.PATCH, path, eve.token(), new JsonObject().put("answersEveryMessage", true))
          .statusCode()).isEqualTo(403);
      JsonObject patched = api.expect(200, HttpMethod.PATCH, path, bob.token(),
          new JsonObject().put("answersEveryMessage", true));
      assertThat(patched.getBoolean("answersEveryMessage")).isTrue();
      JsonObject changed = aliceSocket.awaitEvent(e -> "conversation_settings_changed".equals(e.getString("type")),
          WAIT);
      assertThat(changed.getLong("seq")).isEqualTo(2);
      assertThat(changed.getString("userId")).isEqualTo(bob.userId());
      assertThat(changed.getString("username")).isEqualTo(bob.username());
      assertThat(changed.getBoolean("answersEveryMessage")).isTrue();
      assertThat(entry(alice, conversation).getBoolean("answersEveryMessage")).isTrue();

      JsonObject sent = send(bob, conversation, "hello, just chatting");
      String streamId = sent.getString("streamId");
      assertThat(streamId).as("asked as if sent with ai: true").isNotNull();
      JsonObject thinking = aliceSocket.awaitEvent(e -> "ai_thinking".equals(e.getString("type")), WAIT);
      assertThat(thinking.getString("replyTo")).isEqualTo(sent.getString("messageId"));
      JsonObject answer = aliceSocket.followStream(streamId, c -> { }, WAIT);
      assertThat(answer.getString("type")).isEqualTo("ai_response_complete");
      assertThat(answer.getString("replyTo")).isEqualTo(sent.getString("messageId"));

      // Off again over the bridge: plain messages stay plain.
      JsonObject updated = aliceSocket.call("client.conversation.update",
          new JsonObject().put("conversationId", conversation).put("answersEveryMessage", false));
      assertThat(updated.getBoolean("answersEveryMessage")).isFalse();
      assertThat(aliceSocket.failureCode("client.conversation.update",
          new JsonObject().put("conversationId", conversation))).isEqualTo(400);
      assertThat(send(bob, conversation, "after").containsKey("streamId")).isFalse();
      assertThat(history(alice, conversation).ofType("conversation_settings_changed"))
          .extracting(e -> e.getBoolean("answersEveryMessage")).containsExactly(true, false);
    }
    JsonObject created = api.expect(201, HttpMethod.POST, "/api/conversations", alice.token(),
        new JsonObject().put("title", "my assistant").put("answersEveryMessage", true));
    assertThat(created.getBoolean("answersEveryMessage")).isTrue();
    assertThat(send(alice, created.getString("conversationId"), "hi").getString("streamId")).isNotNull();
  }

  /** The events of a conversation's history, as a member reads them. */
  private record JsonArrayView(java.util.List<JsonObject> events) {
    java.util.List<Long> seqs() {
      return events.stream().map(e -> e.getLong("seq")).toList();
    }

    java.util.List<JsonObject> ofType(String type) {
      return events.stream().filter(e -> type.equals(e.getString("type"))).toList();
    }
  }

  private JsonArrayView history(Account who, String conversation) {
    return new JsonArrayView(api.expect(200, HttpMethod.GET, "/api/conversations/" + conversation + "/messages",
        who.token(), null).getJsonArray("messages").stream().map(JsonObject.class::cast).toList());
  }

  private JsonObject send(Account who, String conversation, String text) {
    return api.expect(201, HttpMethod.POST, "/api/conversations/" + conversation + "/messages", who.token(),
        new JsonObject().put("text", text));
  }

  private int status(Account who, String path, Object body) {
    return api.call(HttpMethod.POST, path, who.token(), body).statusCode();
  }

  /** The user's token usage in the conversation as {@code GET /api/usage} reports it (no answers: zeros). */
  private JsonObject usage(Account who, String conversation) {
    return api.expect(200, HttpMethod.GET, "/api/usage", who.token(), null).getJsonArray("conversations").stream()
        .map(JsonObject.class::cast).filter(c -> conversation.equals(c.getString("conversationId"))).findFirst()
        .orElse(new JsonObject().put("conversationId", conversation).put("answers", 0L).put("promptTokens", 0L)
            .put("completionTokens", 0L).put("estimatedAnswers", 0L));
  }

  /** The conversation's entry in the user's list. */
  private JsonObject entry(Account who, String conversation) {
    return api.expect(200, HttpMethod.GET, "/api/conversations", who.token(), null).getJsonArray("conversations")
        .stream().map(JsonObject.class::cast).filter(c -> conversation.equals(c.getString("conversationId")))
        .findFirst().orElseThrow();
  }
}
