package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The whole path on a real two-node cluster with real PostgreSQL: accounts over HTTP, live messages and a
 * streamed AI answer over the bridge WebSocket, as a client of the contract sees them.
 */
class EndToEndIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /**
   * The concurrency test sends 50 messages per user at once, to race their seqs: well above a person's
   * burst (CHAT_MESSAGES_BURST, 20), which is not what it tests, so the limit is raised here.
   */
  @Override
  protected ClusterHarness startCluster() {
    return ClusterHarness.start(Map.of("CHAT_MESSAGES_BURST", "100"), true);
  }

  private BridgeClient connect(Account account) {
    return BridgeClient.connect(client, cluster.gatewayPort(), account.token());
  }

  private static JsonObject send(String conversationId, String text, String clientMsgId, boolean ai) {
    return new JsonObject().put("conversationId", conversationId).put("text", text).put("clientMsgId", clientMsgId)
        .put("ai", ai);
  }

  private static JsonObject ofType(BridgeClient socket, String type, String streamOrNull) {
    return socket.awaitEvent(e -> type.equals(e.getString("type"))
        && (streamOrNull == null || streamOrNull.equals(e.getString("streamId"))), WAIT);
  }

  @Test
  void bothMembersReceiveANewMessageWithTheSameSeq() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "lunch", bob);

    try (BridgeClient aliceSocket = connect(alice); BridgeClient bobSocket = connect(bob)) {
      JsonObject joined = aliceSocket.enter(conversation);
      bobSocket.enter(conversation);
      assertThat(joined.getLong("lastSeq")).isZero();
      assertThat(joined.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("username")))
          .containsExactlyInAnyOrder(alice.username(), bob.username());

      JsonObject reply = aliceSocket.call("client.chat.send", send(conversation, "noon at the usual?", "m-1", false));

      assertThat(reply.getLong("seq")).isEqualTo(1);
      for (BridgeClient socket : List.of(aliceSocket, bobSocket)) {
        JsonObject event = ofType(socket, "new_message", null);
        assertThat(event.getLong("seq")).isEqualTo(1);
        assertThat(event.getString("messageId")).isEqualTo(reply.getString("messageId"));
        assertThat(event.getString("conversationId")).isEqualTo(conversation);
        assertThat(event.getString("userId")).isEqualTo(alice.userId());
        assertThat(event.getString("username")).isEqualTo(alice.username());
        assertThat(event.getString("content")).isEqualTo("noon at the usual?");
        assertThat(event.getString("clientMsgId")).isEqualTo("m-1");
        assertThat(event.getString("role")).isEqualTo("user");
        assertThat(event.getString("createdAt")).isNotBlank();
      }
    }
  }

  @Test
  void anAiAnswerStreamsToEveryMemberInOrderAndIsStoredWithTheNextSeq() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "ask the bot", bob);
    List<String> deltas = List.of("The ", "answer ", "is ", "forty", "-two", ".");
    cluster.provider.answerWith(deltas, 5);

    try (BridgeClient aliceSocket = connect(alice); BridgeClient bobSocket = connect(bob)) {
      aliceSocket.enter(conversation);
      bobSocket.enter(conversation);
      JsonObject question =
          aliceSocket.call("client.chat.send", send(conversation, "What is six times seven?", "q-1", true));

      String streamId = null;
      for (BridgeClient socket : List.of(aliceSocket, bobSocket)) {
        JsonObject thinking = ofType(socket, "ai_thinking", null);
        assertThat(thinking.getString("replyTo")).isEqualTo(question.getString("messageId"));
        streamId = thinking.getString("streamId");
        List<JsonObject> chunks = new ArrayList<>();
        JsonObject complete = socket.followStream(streamId, chunks::add, WAIT);
        // Deltas close together may be joined into one chunk; indexes stay 0, 1, 2... in order.
        assertThat(chunks).extracting(c -> c.getLong("index"))
            .containsExactlyElementsOf(java.util.stream.LongStream.range(0, chunks.size()).boxed().toList());
        assertThat(chunks).isNotEmpty();
        String streamed = chunks.stream().map(c -> c.getString("delta")).collect(Collectors.joining());

        assertThat(complete.getString("content")).isEqualTo(streamed).isEqualTo(String.join("", deltas));
        assertThat(complete.getLong("seq")).isEqualTo(question.getLong("seq") + 1);
        assertThat(complete.getString("role")).isEqualTo("assistant");
        assertThat(complete.getString("finishReason")).isEqualTo("stop");
        assertThat(complete.getJsonObject("usage").getInteger("completionTokens")).isPositive();
      }

      JsonObject history = aliceSocket.call("client.chat.history",
          new JsonObject().put("conversationId", conversation).put("afterSeq", 0));
      JsonArray messages = history.getJsonArray("messages");
      assertThat(history.getLong("lastSeq")).isEqualTo(2);
      assertThat(messages.size()).isEqualTo(2);
      assertThat(messages.getJsonObject(1).getString("content")).isEqualTo(String.join("", deltas));
      assertThat(messages.getJsonObject(1).getString("streamId")).isEqualTo(streamId);

      JsonObject providerRequest = cluster.provider.requests().get(cluster.provider.requests().size() - 1);
      assertThat(providerRequest.getBoolean("stream")).isTrue();
      assertThat(providerRequest.getJsonArray("messages").encode()).contains("What is six times seven?");
    }
  }

  @Test
  void aProviderFailureEndsTheStreamWithAnErrorInsteadOfAHang() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "broken provider");
    cluster.provider.failWith(500, "{\"error\":{\"message\":\"overloaded\"}}");
    try (BridgeClient socket = connect(alice)) {
      socket.enter(conversation);
      socket.call("client.chat.send", send(conversation, "hello?", "e-1", true));
      String streamId = ofType(socket, "ai_thinking", null).getString("streamId");

      JsonObject error = ofType(socket, "ai_response_error", streamId);
      assertThat(error.getInteger("code")).isEqualTo(503);
      assertThat(error.getString("error")).isNotBlank().doesNotContain("test-key");
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void aResendWithTheSameClientMsgIdReturnsTheSameIdsAndEmitsNothing() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "flaky network", bob);
    try (BridgeClient aliceSocket = connect(alice); BridgeClient bobSocket = connect(bob)) {
      aliceSocket.enter(conversation);
      bobSocket.enter(conversation);

      JsonObject first = aliceSocket.call("client.chat.send", send(conversation, "once", "same-id", false));
      JsonObject again = aliceSocket.call("client.chat.send", send(conversation, "once", "same-id", false));
      JsonObject next = aliceSocket.call("client.chat.send", send(conversation, "then this", "other-id", false));

      assertThat(again).isEqualTo(first);
      assertThat(next.getLong("seq")).isEqualTo(first.getLong("seq") + 1);
      // Bob sees the first message and then the next one: the resend produced no event in between.
      List<JsonObject> seen = bobSocket.awaitEvents(e -> "new_message".equals(e.getString("type")), 2, WAIT);
      assertThat(seen).extracting(e -> e.getString("content")).containsExactly("once", "then this");
      assertThat(cluster.database.count(
          "SELECT count(*) FROM messages WHERE client_msg_id = 'same-id'")).isEqualTo(1);
    }
  }

  @Test
  void concurrentSendersThroughBothGatewaysGetGapFreeUniqueSeqs() {
    Account owner = api.register("owner");
    List<Account> senders = IntStream.range(0, 8).mapToObj(i -> api.register("sender" + i)).toList();
    String conversation = api.createConversation(owner, "busy room", senders.toArray(Account[]::new));

    List<BridgeClient> sockets = new ArrayList<>();
    try (BridgeClient observer = connect(owner)) {
      observer.enter(conversation);
      for (int i = 0; i < senders.size(); i++) {
        int port = i % 2 == 0 ? cluster.gatewayPort() : cluster.secondGatewayPort();
        sockets.add(BridgeClient.connect(client, port, senders.get(i).token()));
      }
      List<Future<JsonObject>> replies = new ArrayList<>();
      for (int n = 0; n < 50; n++) {
        for (int s = 0; s < sockets.size(); s++) {
          replies.add(sockets.get(s).request("client.chat.send",
              send(conversation, "message " + n + " from " + s, "s" + s + "-" + n, false)));
        }
      }
      Wait.on(Future.all(replies), 60);

      List<Long> seqs = replies.stream().map(r -> r.result().getLong("seq")).sorted().toList();
      assertThat(seqs).containsExactlyElementsOf(LongStreamRange.closed(1, 400));
      List<JsonObject> delivered =
          observer.awaitEvents(e -> "new_message".equals(e.getString("type")), 400, Duration.ofSeconds(60));
      assertThat(delivered.stream().map(e -> e.getLong("seq")).sorted().toList())
          .containsExactlyElementsOf(LongStreamRange.closed(1, 400));
      assertThat(cluster.database.count(
          "SELECT count(*) FROM messages WHERE conversation_id = '" + conversation + "'")).isEqualTo(400);
    } finally {
      sockets.forEach(BridgeClient::close);
    }
  }

  @Test
  void aMessageSentOverHttpReachesTheRoomLikeABridgeSend() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "http path", bob);
    try (BridgeClient bobSocket = connect(bob)) {
      bobSocket.enter(conversation);
      JsonObject reply = api.expect(201, HttpMethod.POST, "/api/conversations/" + conversation + "/messages",
          alice.token(), new JsonObject().put("text", "from curl").put("clientMsgId", "h-1"));

      JsonObject event = ofType(bobSocket, "new_message", null);
      assertThat(event.getString("messageId")).isEqualTo(reply.getString("messageId"));
      assertThat(event.getString("content")).isEqualTo("from curl");

      JsonObject page = api.expect(200, HttpMethod.GET,
          "/api/conversations/" + conversation + "/messages?afterSeq=0&limit=10", bob.token(), null);
      assertThat(page.getLong("lastSeq")).isEqualTo(1);
      assertThat(page.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("from curl");
    }
  }

  @Test
  void conversationsAreListedNewestActivityFirstAndOnlyTheOwnerAddsMembers() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    Account carol = api.register("carol");
    String older = api.createConversation(alice, "older", bob);
    String newer = api.createConversation(alice, "newer");
    api.expect(201, HttpMethod.POST, "/api/conversations/" + older + "/messages", alice.token(),
        new JsonObject().put("text", "bump"));

    JsonArray list = api.expect(200, HttpMethod.GET, "/api/conversations", alice.token(), null)
        .getJsonArray("conversations");
    assertThat(list.stream().map(c -> ((JsonObject) c).getString("conversationId"))).containsExactly(older, newer);

    api.expect(403, HttpMethod.POST, "/api/conversations/" + older + "/members", bob.token(),
        new JsonObject().put("username", carol.username()));
    api.expect(200, HttpMethod.POST, "/api/conversations/" + older + "/members", alice.token(),
        new JsonObject().put("username", carol.username()));
    api.expect(404, HttpMethod.POST, "/api/conversations/" + older + "/members", alice.token(),
        new JsonObject().put("username", "nobody_" + UUID.randomUUID().toString().substring(0, 8)));
    assertThat(api.expect(200, HttpMethod.GET, "/api/conversations", carol.token(), null)
        .getJsonArray("conversations").size()).isEqualTo(1);
  }

  @Test
  void someoneAddedToAConversationHearsItOnTheirPersonalAddressWhicheverGatewayTheyUse() {
    Account alice = api.register("alice");
    Account carol = api.register("carol");
    Account dave = api.register("dave");
    Account erin = api.register("erin");
    try (BridgeClient carolSocket = BridgeClient.connect(client, cluster.secondGatewayPort(), carol.token());
        BridgeClient daveSocket = connect(dave);
        BridgeClient erinSocket = connect(erin)) {
      for (var listener : List.of(Map.entry(carol, carolSocket), Map.entry(dave, daveSocket),
          Map.entry(erin, erinSocket))) {
        listener.getValue().register("client.user." + listener.getKey().userId());
        // A request after the register frame is handled once the registration is live.
        listener.getValue().enter(api.createConversation(listener.getKey(), "own"));
      }

      String trip = api.createConversation(alice, "trip", carol);
      JsonObject added = carolSocket.awaitEvent(e -> "conversation_added".equals(e.getString("type")), WAIT);
      assertThat(added.getString("conversationId")).isEqualTo(trip);
      assertThat(added.getString("title")).isEqualTo("trip");
      assertThat(added.getJsonObject("addedBy").getString("userId")).isEqualTo(alice.userId());
      assertThat(added.getJsonObject("addedBy").getString("username")).isEqualTo(alice.username());

      api.expect(200, HttpMethod.POST, "/api/conversations/" + trip + "/members", alice.token(),
          new JsonObject().put("username", dave.username()));
      assertThat(daveSocket.awaitEvent(e -> "conversation_added".equals(e.getString("type")), WAIT)
          .getString("conversationId")).isEqualTo(trip);

      // Events from one gateway arrive in order: the next one each hears is the later conversation, so
      // carol heard nothing when dave was added and erin nothing of "trip".
      String later = api.createConversation(alice, "later", carol, erin);
      for (BridgeClient socket : List.of(carolSocket, erinSocket)) {
        assertThat(socket.awaitEvent(e -> "conversation_added".equals(e.getString("type")), WAIT)
            .getString("conversationId")).isEqualTo(later);
      }
    }
  }

  @Test
  void authEndpointsAnswerWithTheContractsCodes() {
    Account alice = api.register("alice");
    api.expect(409, HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("username", alice.username()).put("password", "another good one"));
    api.expect(400, HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("username", "weak_" + UUID.randomUUID().toString().substring(0, 6)).put("password", "123"));
    api.expect(400, HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("username", "bad name!").put("password", "long enough pw"));
    api.expect(400, HttpMethod.POST, "/api/auth/register", null, "{not json");
    api.expect(401, HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", alice.username()).put("password", "wrong password"));
    api.expect(401, HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", "ghost_" + UUID.randomUUID().toString().substring(0, 6))
            .put("password", "whatever123"));
    JsonObject login = api.expect(200, HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", alice.username()).put("password", "correct horse battery"));
    assertThat(login.getString("userId")).isEqualTo(alice.userId());
    assertThat(login.getString("expiresAt")).isNotBlank();

    api.expect(401, HttpMethod.GET, "/api/conversations", null, null);
    api.expect(401, HttpMethod.GET, "/api/conversations", "not-a-token", null);
    JsonObject refreshed = api.expect(200, HttpMethod.POST, "/api/auth/refresh", login.getString("token"), null);
    api.expect(200, HttpMethod.GET, "/api/conversations", refreshed.getString("token"), null);
  }

  @Test
  void healthSaysLiveAndReady() {
    assertThat(api.expect(200, HttpMethod.GET, "/health/live", null, null).getString("status")).isEqualTo("UP");
    assertThat(api.expect(200, HttpMethod.GET, "/health/ready", null, null).getString("status")).isEqualTo("UP");
  }

  /** 1..n as boxed longs, for comparing seq lists. */
  private static final class LongStreamRange {
    static List<Long> closed(long from, long to) {
      return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }
  }
}
