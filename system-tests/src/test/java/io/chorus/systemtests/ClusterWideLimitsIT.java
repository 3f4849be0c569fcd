package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.BridgeError;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a user's limits hold across the cluster. On the harness's two chat nodes (the event bus spreads one
 * socket's sends over both), one user's burst of messages and of questions gets the configured burst and what
 * refills meanwhile, not one burst per chat node; the rest are refused with 429 and not stored.
 */
class ClusterWideLimitsIT extends ClusterTestBase {
  private static final int MESSAGE_BURST = 10;
  private static final int QUESTIONS_PER_MINUTE = 4;
  private static final int CHANGES_PER_MINUTE = 5;

  @Override
  protected ClusterHarness startCluster() {
    // One message a second and four questions a minute refill: little while the sends run, even on a slow machine.
    return ClusterHarness.start(Map.of("CHAT_MESSAGES_PER_SECOND", "1", "CHAT_MESSAGES_BURST",
        String.valueOf(MESSAGE_BURST), "AI_QUESTIONS_PER_MINUTE", String.valueOf(QUESTIONS_PER_MINUTE),
        "AI_MAX_ACTIVE_PER_USER", "100", "LLM_QUEUE", "100",
        "CONVERSATION_CHANGES_PER_MINUTE", String.valueOf(CHANGES_PER_MINUTE)), true);
  }

  /** All {@code count} sends at once over one socket; the futures once every reply or refusal is in. */
  private List<Future<JsonObject>> sendAll(BridgeClient socket, String conversation, int count, boolean ai) {
    List<Future<JsonObject>> sends = IntStream.range(0, count).mapToObj(i -> socket.request("client.chat.send",
        new JsonObject().put("conversationId", conversation).put("text", (ai ? "question " : "hi ") + i)
            .put("clientMsgId", (ai ? "q" : "m") + i).put("ai", ai))).toList();
    Wait.on(Future.join(sends).transform(all -> Future.succeededFuture()), 30);
    return sends;
  }

  private static long secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos + 999_999_999L) / 1_000_000_000L;
  }

  /**
   * Changes to conversations are stored as room events or reach other people, outside the messages' limit: one
   * user's changes, over both gateways, get one minute's worth; the rest are 429 and change nothing.
   */
  @Test
  void oneUsersConversationChangesGetOneMinutesWorthAcrossBothGateways() {
    Account grace = api.register("grace");
    Account heidi = api.register("heidi");
    ApiClient second = new ApiClient(client, cluster.secondGatewayPort());
    try {
      long started = System.nanoTime();
      String conversation = api.createConversation(grace, "settings"); // one change
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 2 * CHANGES_PER_MINUTE; i++) {
        ApiClient via = i % 2 == 0 ? api : second;
        HttpResponse<Buffer> changed = i % 3 == 2
            ? via.call(HttpMethod.POST, "/api/conversations/" + conversation + "/members", grace.token(),
                new JsonObject().put("username", heidi.username()))
            : via.call(HttpMethod.PATCH, "/api/conversations/" + conversation, grace.token(),
                new JsonObject().put("answersEveryMessage", i % 2 == 0));
        statuses.add(changed.statusCode());
        if (changed.statusCode() == 429) {
          assertThat(changed.bodyAsJsonObject().getString("error"))
              .isEqualTo("too many changes to conversations: at most " + CHANGES_PER_MINUTE + " a minute");
        }
      }
      long refill = (secondsSince(started) + 11) / 12; // five a minute: one each 12 s
      long accepted = 1 + statuses.stream().filter(status -> status == 200).count();
      assertThat(statuses).as("each change is made or refused with 429").allMatch(s -> s == 200 || s == 429);
      assertThat(accepted).as("one minute's worth for the user, not one per gateway")
          .isBetween((long) CHANGES_PER_MINUTE, CHANGES_PER_MINUTE + refill);
      JsonObject refused = api.expect(429, HttpMethod.POST, "/api/conversations", grace.token(),
          new JsonObject().put("title", "one more"));
      assertThat(refused.getInteger("code")).isEqualTo(429);
      assertThat(cluster.database.count("SELECT count(*) FROM conversations WHERE owner_id = '" + grace.userId()
          + "'")).as("the refused create made nothing").isEqualTo(1);
    } finally {
      second.close();
    }
  }

  @Test
  void oneUsersMessagesGetOneBurstAcrossBothChatNodes() {
    Account erin = api.register("erin");
    String conversation = api.createConversation(erin, "fast");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), erin.token())) {
      socket.enter(conversation);
      long started = System.nanoTime();
      List<Future<JsonObject>> sends = sendAll(socket, conversation, 3 * MESSAGE_BURST, false);
      long refill = secondsSince(started); // one a second may refill while the sends run

      long accepted = sends.stream().filter(Future::succeeded).count();
      assertThat(sends.stream().filter(Future::failed).map(Future::cause)).allSatisfy(err -> {
        assertThat(((BridgeError) err).code).isEqualTo(429);
        assertThat(err.getMessage()).contains("too many messages").contains("bursts of " + MESSAGE_BURST);
      });
      assertThat(accepted).as("one burst for the user, not one per chat node").isBetween((long) MESSAGE_BURST,
          MESSAGE_BURST + refill);
      assertThat(cluster.database.count("SELECT count(*) FROM messages WHERE conversation_id = '"
          + conversation + "'")).as("only the accepted ones are stored").isEqualTo(accepted);
    }
  }

  @Test
  void oneUsersQuestionsGetOneMinutesWorthAcrossBothChatNodes() {
    Account frank = api.register("frank");
    String conversation = api.createConversation(frank, "curious");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), frank.token())) {
      socket.enter(conversation);
      long started = System.nanoTime();
      // Fewer than the message burst: only the question limit can refuse them.
      List<Future<JsonObject>> asks = sendAll(socket, conversation, 2 * QUESTIONS_PER_MINUTE, true);
      long refill = (secondsSince(started) + 14) / 15; // four a minute: one each 15 s

      long accepted = asks.stream().filter(Future::succeeded).count();
      assertThat(asks.stream().filter(Future::failed).map(Future::cause)).allSatisfy(err -> {
        assertThat(((BridgeError) err).code).isEqualTo(429);
        assertThat(err.getMessage()).contains("too many questions to the assistant")
            .contains("at most " + QUESTIONS_PER_MINUTE + " a minute");
      });
      assertThat(accepted).as("one minute's questions for the user, not one per chat node")
          .isBetween((long) QUESTIONS_PER_MINUTE, QUESTIONS_PER_MINUTE + refill);
      assertThat(cluster.database.count("SELECT count(*) FROM messages WHERE conversation_id = '"
          + conversation + "' AND role = 'user'")).as("a refused question is not stored").isEqualTo(accepted);
    }
  }
}
