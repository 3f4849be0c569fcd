package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A worker with one slot and a queue of one, asked five questions at once: two are answered, the other
 * three end at once with 503, and none is left waiting in ai_thinking.
 */
class SaturationIT extends ClusterTestBase {
  @Override
  protected ClusterHarness startCluster() {
    // One user asks all five: the per-user bound (AI_MAX_ACTIVE_PER_USER, 3) is raised so that the
    // worker's capacity, not the user's, is what refuses them.
    return ClusterHarness.start(Map.of("LLM_MAX_STREAMS", "1", "LLM_QUEUE", "1", "AI_MAX_ACTIVE_PER_USER", "10"), true);
  }

  @Test
  void askingBeyondCapacityAndQueueGets503ForTheExcessAndAnswersForTheRest() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "crowded");
    cluster.provider.answerWith(List.of("one ", "at ", "a ", "time"), 100);
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      List<Future<JsonObject>> sends = new ArrayList<>();
      IntStream.range(0, 5).forEach(i -> sends.add(socket.request("client.chat.send", new JsonObject()
          .put("conversationId", conversation).put("text", "question " + i).put("clientMsgId", "q" + i)
          .put("ai", true))));
      Wait.on(Future.all(sends), 20);

      List<String> outcomes = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String streamId = socket.awaitEvent("ai_thinking").getString("streamId");
        JsonObject terminal = socket.followStream(streamId, chunk -> { }, Duration.ofSeconds(30));
        outcomes.add(terminal.getString("type").equals("ai_response_error")
            ? "error " + terminal.getInteger("code") : "answered");
      }
      assertThat(outcomes).containsExactlyInAnyOrder("answered", "answered", "error 503", "error 503", "error 503");
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }
}
