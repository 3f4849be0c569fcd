package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.BridgeError;
import io.chorus.fixtures.Wait;
import io.chorus.model.streams.SharedDataStreamRegistry;
import io.chorus.model.streams.StreamRegistry;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: one account must not be able to deny the assistant to everyone. On the two-node cluster
 * (two chat nodes, so the user's sends go to both) with one LLM worker of two slots, answers held open
 * by the fake provider: a flooder gets at most {@code AI_MAX_ACTIVE_PER_USER} (3, the default) answers at
 * once, the rest refused with 429 and not stored, and when a slot frees another user's question takes it
 * ahead of the flooder's waiting one. Plain messages beyond a user's rate are refused with 429 too.
 */
class AssistantFairnessIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private StreamRegistry registry;

  @Override
  protected ClusterHarness startCluster() {
    // Messages: 12 at once for the user (across both chat nodes), then one a second, so a burst of sends runs into
    // the limit.
    return ClusterHarness.start(Map.of("LLM_MAX_STREAMS", "2", "LLM_QUEUE", "20",
        "CHAT_MESSAGES_BURST", "12", "CHAT_MESSAGES_PER_SECOND", "1"), true);
  }

  @BeforeAll
  void openRegistry() {
    registry = new SharedDataStreamRegistry(cluster.nodeA);
  }

  private static JsonObject ask(String conversationId, String text, String clientMsgId) {
    return new JsonObject().put("conversationId", conversationId).put("text", text)
        .put("clientMsgId", clientMsgId).put("ai", true);
  }

  private int streamsOf(String conversationId) {
    return Wait.on(registry.ofConversation(conversationId), 10).size();
  }

  private static boolean asks(JsonObject providerRequest, String text) {
    return providerRequest.encode().contains(text);
  }

  @Test
  void aFlooderIsBoundedAndAnotherUsersQuestionTakesTheNextFreeSlot() {
    Account flooder = api.register("flooder");
    Account bob = api.register("bob");
    String flooded = api.createConversation(flooder, "flood");
    String bobs = api.createConversation(bob, "bob's");
    cluster.provider.answerWith(List.of("an ", "answer"), 0);
    cluster.provider.holdAnswers();
    int before = cluster.provider.requests().size(); // the other test's, when it ran first
    try (BridgeClient flooderSocket = BridgeClient.connect(client, cluster.gatewayPort(), flooder.token());
        BridgeClient bobSocket = BridgeClient.connect(client, cluster.secondGatewayPort(), bob.token())) {
      flooderSocket.enter(flooded);
      bobSocket.enter(bobs);

      for (int i = 0; i < 3; i++) {
        flooderSocket.call("client.chat.send", ask(flooded, "flood " + i, "f" + i));
      }
      // Asked again and again, through both chat nodes: each time 429, and nothing stored.
      for (int i = 3; i < 8; i++) {
        try {
          flooderSocket.call("client.chat.send", ask(flooded, "flood " + i, "f" + i));
          throw new AssertionError("question " + i + " was accepted beyond the flooder's 3");
        } catch (BridgeError refused) {
          assertThat(refused.code).isEqualTo(429);
          assertThat(refused.getMessage()).contains("3 answers").contains("running or waiting");
        }
      }
      JsonObject history = flooderSocket.call("client.chat.history", new JsonObject().put("conversationId", flooded));
      assertThat(history.getJsonArray("messages")).as("only the accepted questions are stored").hasSize(3);
      assertThat(cluster.database.count("SELECT count(*) FROM messages WHERE conversation_id = '"
          + flooded + "' AND role = 'user'")).isEqualTo(3);

      // Two of the flooder's answers hold the worker's two slots; the third waits.
      Wait.until("two answers held at the provider and three streams registered", WAIT,
          () -> cluster.provider.heldAnswers() == 2 && streamsOf(flooded) == 3);

      bobSocket.call("client.chat.send", ask(bobs, "bob's own question", "b0"));
      Wait.until("bob's question waiting on the worker", WAIT, () -> streamsOf(bobs) == 1);

      // One of the flooder's answers ends: the slot goes to bob, not to the flooder's waiting question.
      assertThat(cluster.provider.releaseOldest()).isTrue();
      flooderSocket.awaitEvent(e -> "ai_response_complete".equals(e.getString("type")), WAIT);
      Wait.until("a third request at the provider", WAIT, () -> cluster.provider.requests().size() == before + 3);
      JsonObject third = cluster.provider.requests().get(before + 2);
      assertThat(asks(third, "bob's own question")).as("the freed slot went to bob's question: %s", third).isTrue();
      assertThat(streamsOf(flooded)).as("the flooder's third still waits").isEqualTo(2);

      assertThat(cluster.provider.releaseWhere(body -> asks(body, "bob's own question"))).isTrue();
      String bobsStream = bobSocket.awaitEvent("ai_thinking").getString("streamId");
      StringBuilder bobsText = new StringBuilder();
      JsonObject bobsAnswer = bobSocket.followStream(bobsStream, c -> bobsText.append(c.getString("delta")), WAIT);
      assertThat(bobsAnswer.getString("type")).isEqualTo("ai_response_complete");
      assertThat(bobsAnswer.getString("content")).isEqualTo("an answer").isEqualTo(bobsText.toString());
      // Every other answer of the flooder is still held: bob's was answered before the flooder's backlog.
      assertThat(flooderSocket.drainEvents().stream()
          .filter(e -> "ai_response_complete".equals(e.getString("type")))).isEmpty();
      assertThat(streamsOf(flooded)).isEqualTo(2);

      // The ended answer gave the flooder's slot back: one more question is accepted, the next is not.
      flooderSocket.call("client.chat.send", ask(flooded, "flood again", "f8"));
      assertThat(flooderSocket.failureCode("client.chat.send", ask(flooded, "and again", "f9"))).isEqualTo(429);

      cluster.provider.releaseAll();
      // Announced once stored: the three answers still held end, each stored with its seq.
      flooderSocket.awaitEvents(e -> "ai_response_complete".equals(e.getString("type")), 3, WAIT);
      Wait.until("all of the flooder's answers ended", WAIT, () -> streamsOf(flooded) == 0);
      assertThat(cluster.database.count("SELECT count(*) FROM messages WHERE conversation_id = '"
          + flooded + "' AND role = 'assistant' AND finish_reason = 'stop'")).isEqualTo(4);
    } finally {
      cluster.provider.releaseAll();
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void theHttpSendPathIsRefusedAlikeWithAClearMessage() {
    Account carol = api.register("carol");
    String conversation = api.createConversation(carol, "http");
    cluster.provider.holdAnswers();
    try {
      for (int i = 0; i < 3; i++) {
        api.expect(201, HttpMethod.POST, "/api/conversations/" + conversation + "/messages", carol.token(),
            ask(conversation, "over http " + i, "h" + i));
      }
      JsonObject refused = api.expect(429, HttpMethod.POST, "/api/conversations/" + conversation + "/messages",
          carol.token(), ask(conversation, "one more", "h3"));
      assertThat(refused.getInteger("code")).isEqualTo(429);
      assertThat(refused.getString("error")).contains("running or waiting");
    } finally {
      cluster.provider.releaseAll();
      Wait.until("carol's answers ended", WAIT, () -> streamsOf(conversation) == 0);
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void messagesBeyondTheUsersRateAre429AndOnlyTheAcceptedOnesAreStored() {
    Account dave = api.register("dave");
    String conversation = api.createConversation(dave, "chatty");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), dave.token())) {
      socket.enter(conversation);
      List<Future<JsonObject>> sends = IntStream.range(0, 60).mapToObj(i -> socket.request("client.chat.send",
          new JsonObject().put("conversationId", conversation).put("text", "hi " + i).put("clientMsgId", "d" + i)))
          .toList();
      Wait.on(Future.join(sends).transform(all -> Future.succeededFuture()), 30); // every reply or refusal is in

      List<Throwable> refused = sends.stream().filter(Future::failed).map(Future::cause).toList();
      long accepted = sends.stream().filter(Future::succeeded).count();
      assertThat(refused).as("12 at once for the user and one a second more: most of 60 are refused")
          .isNotEmpty().allSatisfy(err -> {
            assertThat(((BridgeError) err).code).isEqualTo(429);
            assertThat(err.getMessage()).contains("too many messages");
          });
      assertThat(accepted).isGreaterThanOrEqualTo(12);
      assertThat(cluster.database.count("SELECT count(*) FROM messages WHERE conversation_id = '"
          + conversation + "'")).as("only the accepted ones are stored").isEqualTo(accepted);
    }
  }
}
