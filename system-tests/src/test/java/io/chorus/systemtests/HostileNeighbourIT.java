package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.BridgeError;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's "done means": a burst of hostile traffic from one account leaves other users' messages and answers
 * unaffected. On the two-gateway cluster, mallory at once opens more sockets than she may, floods questions to
 * the assistant, floods plain messages and guesses at her own password; meanwhile alice and bob (on the other
 * gateway) talk and ask the assistant. Mallory is refused with the contract's codes; every one of alice's
 * messages reaches bob in order with gap-free seqs, alice's answer is served while mallory's are still running,
 * and alice can sign in while mallory's name is backed off.
 */
class HostileNeighbourIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int ALICES_MESSAGES = 10;

  @Override
  protected ClusterHarness startCluster() {
    // Room for mallory's 3 answers and more on the worker: "unaffected" means alice never waits behind her.
    // Alice sends 10 messages at once and then a question, 11 sends within a fraction of a second on one bucket for
    // the cluster: a burst of 12 is hers to use (she is the user who behaves; mallory floods far beyond it).
    return ClusterHarness.start(Map.of("LLM_MAX_STREAMS", "6", "LLM_QUEUE", "20",
        "CHAT_MESSAGES_BURST", "12", "CHAT_MESSAGES_PER_SECOND", "2", "MAX_SOCKETS_PER_USER", "3",
        "LOGIN_FAILURES_BEFORE_BACKOFF", "3", "LOGIN_BACKOFF_SECONDS", "60"), true);
  }

  private static JsonObject message(String conversationId, String text, String clientMsgId, boolean ai) {
    return new JsonObject().put("conversationId", conversationId).put("text", text)
        .put("clientMsgId", clientMsgId).put("ai", ai);
  }

  private static int codeOf(Throwable failure) {
    return failure instanceof BridgeError refused ? refused.code : -1;
  }

  private int login(String username, String password) {
    return api.call(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", username).put("password", password)).statusCode();
  }

  @Test
  void oneAccountsFloodLeavesOtherUsersMessagesAndAnswersAsTheyWere() {
    Account mallory = api.register("mallory");
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String mallorysRoom = api.createConversation(mallory, "noise");
    String team = api.createConversation(alice, "team", bob);
    cluster.provider.answerWith(List.of("the ", "answer"), 0);
    cluster.provider.holdAnswers();
    List<BridgeClient> mallorysSockets = new ArrayList<>();
    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
        BridgeClient bobSocket = BridgeClient.connect(client, cluster.secondGatewayPort(), bob.token())) {
      aliceSocket.enter(team);
      bobSocket.enter(team);

      // Mallory: as many sockets as she may, then one more (refused at the upgrade).
      for (int i = 0; i < 3; i++) {
        mallorysSockets.add(BridgeClient.connect(client, cluster.gatewayPort(), mallory.token()));
      }
      assertThatThrownBy(() -> BridgeClient.connect(client, cluster.gatewayPort(), mallory.token()))
          .satisfies(e -> assertThat(((UpgradeRejectedException) rootOf(e)).getStatus()).isEqualTo(429));
      BridgeClient flood = mallorysSockets.get(0);
      flood.enter(mallorysRoom);
      // Her floods are in flight while alice and bob talk: nothing below waits for them.
      List<Future<JsonObject>> questions = IntStream.range(0, 40).mapToObj(i -> flood.request("client.chat.send",
          message(mallorysRoom, "question " + i, "q" + i, true))).toList();
      List<Future<JsonObject>> chatter = IntStream.range(0, 200).mapToObj(i -> mallorysSockets.get(1 + i % 2)
          .request("client.chat.send", message(mallorysRoom, "noise " + i, "n" + i, false))).toList();
      List<Integer> guesses = IntStream.range(0, 6).mapToObj(i -> login(mallory.username(), "guess " + i)).toList();

      List<Future<JsonObject>> alicesSends = IntStream.range(0, ALICES_MESSAGES).mapToObj(i -> aliceSocket.request(
          "client.chat.send", message(team, "alice " + i, "a" + i, false))).toList();
      Wait.on(Future.join(alicesSends).transform(all -> Future.succeededFuture()), 30);
      assertThat(alicesSends).as("alice is never refused for mallory's flood").allMatch(Future::succeeded);

      List<JsonObject> received = bobSocket.awaitEvents(e -> "new_message".equals(e.getString("type"))
          && e.getString("content", "").startsWith("alice "), ALICES_MESSAGES, WAIT);
      List<Long> seqs = received.stream().map(e -> e.getLong("seq")).toList();
      assertThat(received.stream().map(e -> e.getString("content")).sorted().toList())
          .as("bob, on the other gateway, gets every one of alice's messages")
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, ALICES_MESSAGES).mapToObj(i -> "alice " + i).toList());
      assertThat(seqs).as("in seq order, without a gap").isSorted();
      assertThat(seqs.get(seqs.size() - 1) - seqs.get(0)).isEqualTo(ALICES_MESSAGES - 1);

      // Mallory's questions: 3 accepted (her answers, held at the provider), every other one 429.
      Wait.on(Future.join(questions).transform(all -> Future.succeededFuture()), 30);
      assertThat(questions.stream().filter(Future::succeeded)).hasSize(3);
      assertThat(questions.stream().filter(Future::failed).map(f -> codeOf(f.cause()))).hasSize(37)
          .allMatch(code -> code == 429);
      Wait.until("mallory's three answers held at the provider", WAIT, () -> cluster.provider.heldAnswers() == 3);

      // Alice's question goes straight to the provider, ahead of nothing of mallory's, and bob reads the answer.
      aliceSocket.call("client.chat.send", message(team, "alice asks the assistant", "a-ai", true));
      Wait.until("alice's question at the provider", WAIT, () -> cluster.provider.heldAnswers() == 4);
      assertThat(cluster.provider.releaseWhere(body -> body.encode().contains("alice asks the assistant"))).isTrue();
      String stream = bobSocket.awaitEvent("ai_thinking").getString("streamId");
      StringBuilder streamed = new StringBuilder();
      JsonObject answer = bobSocket.followStream(stream, chunk -> streamed.append(chunk.getString("delta")), WAIT);
      assertThat(answer.getString("type")).isEqualTo("ai_response_complete");
      assertThat(answer.getString("content")).isEqualTo("the answer").isEqualTo(streamed.toString());
      assertThat(cluster.provider.heldAnswers()).as("mallory's answers are still running").isEqualTo(3);

      // Mallory's chatter: some accepted, the rest 429; her name is backed off, alice's is not.
      Wait.on(Future.join(chatter).transform(all -> Future.succeededFuture()), 30);
      assertThat(chatter.stream().filter(Future::failed).map(f -> codeOf(f.cause())))
          .as("most of 200 sends at once are beyond her rate").isNotEmpty().allMatch(code -> code == 429);
      assertThat(guesses).startsWith(401, 401, 401).endsWith(429);
      assertThat(login(mallory.username(), "correct horse battery")).as("her name waits out the back-off")
          .isEqualTo(429);
      assertThat(login(alice.username(), "correct horse battery")).isEqualTo(200);
    } finally {
      cluster.provider.releaseAll();
      mallorysSockets.forEach(BridgeClient::close);
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  private static Throwable rootOf(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
