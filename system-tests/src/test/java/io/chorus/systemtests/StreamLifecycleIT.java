package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An answer's life beyond the happy path: a member stops it (the stop reaches the worker on another
 * node, which aborts the provider request), and a member who drops mid-answer and comes back on the
 * other gateway rebuilds it exactly from history, the snapshot and live chunks.
 */
class StreamLifecycleIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static List<String> words(int count) {
    return IntStream.range(0, count).mapToObj(i -> "w" + i + " ").toList();
  }

  private static JsonObject question(String conversationId, String clientMsgId) {
    return new JsonObject().put("conversationId", conversationId).put("text", "tell me a long story")
        .put("clientMsgId", clientMsgId).put("ai", true);
  }

  private static JsonObject next(BridgeClient socket, String type, String streamId) {
    return socket.awaitEvent(e -> type.equals(e.getString("type")) && streamId.equals(e.getString("streamId")), WAIT);
  }

  @Test
  void stopReachesTheProviderAndKeepsThePartialAnswerAsCancelled() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "stop me");
    int abortedBefore = cluster.provider.abortedStreams();
    cluster.provider.answerWith(words(200), 40);

    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      socket.call("client.chat.send", question(conversation, "stop-1"));
      String streamId = socket.awaitEvent("ai_thinking").getString("streamId");
      StringBuilder seen = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        seen.append(next(socket, "ai_response_chunk", streamId).getString("delta"));
      }

      JsonObject stopped = socket.call("client.chat.stop",
          new JsonObject().put("conversationId", conversation).put("streamId", streamId));

      assertThat(stopped.getBoolean("stopped")).isTrue();
      // Chunks already on their way when the stop landed still arrive, all before the terminal event.
      JsonObject terminal = socket.followStream(streamId, chunk -> seen.append(chunk.getString("delta")), WAIT);
      assertThat(terminal.getString("type")).isEqualTo("ai_response_complete");
      assertThat(terminal.getString("finishReason")).isEqualTo("cancelled");
      assertThat(terminal.getString("content")).isEqualTo(seen.toString());
      assertThat(terminal.getString("content").length()).isLessThan(String.join("", words(200)).length());
      Wait.until(() -> cluster.provider.abortedStreams() > abortedBefore, 20);
      assertThat(cluster.database.count("SELECT count(*) FROM messages WHERE stream_id = '" + streamId
          + "' AND finish_reason = 'cancelled' AND completion_tokens > 0")).isEqualTo(1);

      // Stopping again is harmless: the stream is gone, nothing more is stored or announced.
      assertThat(socket.failureCode("client.chat.stop",
          new JsonObject().put("conversationId", conversation).put("streamId", streamId))).isEqualTo(404);
      assertThat(cluster.database.count(
          "SELECT count(*) FROM messages WHERE stream_id = '" + streamId + "'")).isEqualTo(1);
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void aMemberWhoDropsMidAnswerRebuildsItExactlyOnTheOtherGateway() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "resume", bob);
    List<String> deltas = words(60);
    cluster.provider.answerWith(deltas, 30);

    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      aliceSocket.enter(conversation);
      BridgeClient bobOnA = BridgeClient.connect(client, cluster.gatewayPort(), bob.token());
      bobOnA.enter(conversation);
      aliceSocket.call("client.chat.send", question(conversation, "resume-1"));
      long lastSeqSeen = bobOnA.awaitEvent("new_message").getLong("seq");
      String streamId = bobOnA.awaitEvent("ai_thinking").getString("streamId");
      for (int i = 0; i < 5; i++) {
        next(bobOnA, "ai_response_chunk", streamId);
      }
      bobOnA.close();

      try (BridgeClient bobOnB = BridgeClient.connect(client, cluster.secondGatewayPort(), bob.token())) {
        bobOnB.enter(conversation);
        JsonObject history = bobOnB.call("client.chat.history",
            new JsonObject().put("conversationId", conversation).put("afterSeq", lastSeqSeen));
        JsonArray streams = history.getJsonArray("streams");
        StringBuilder rebuilt = new StringBuilder();
        long snapshotIndex = -1;
        if (!streams.isEmpty()) {
          JsonObject snapshot = streams.getJsonObject(0);
          assertThat(snapshot.getString("streamId")).isEqualTo(streamId);
          rebuilt.append(snapshot.getString("text"));
          snapshotIndex = snapshot.getLong("index");
        }
        assertThat(snapshotIndex).as("the answer was still streaming").isGreaterThanOrEqualTo(4);
        long after = snapshotIndex;
        JsonObject terminal = bobOnB.followStream(streamId, chunk -> {
          if (chunk.getLong("index") > after) {
            rebuilt.append(chunk.getString("delta"));
          }
        }, WAIT);

        assertThat(terminal.getString("type")).isEqualTo("ai_response_complete");
        assertThat(rebuilt.toString()).isEqualTo(terminal.getString("content")).isEqualTo(String.join("", deltas));
        assertThat(history.getJsonArray("messages").size()).as("no persisted event missed").isZero();
        JsonObject later = bobOnB.call("client.chat.history",
            new JsonObject().put("conversationId", conversation).put("afterSeq", lastSeqSeen));
        assertThat(later.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq"))
            .collect(Collectors.toList())).containsExactly(lastSeqSeen + 1);
        assertThat(later.getJsonArray("streams")).isEmpty();
      }
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }
}
