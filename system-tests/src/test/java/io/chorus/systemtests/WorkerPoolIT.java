package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.model.streams.SharedDataStreamRegistry;
import io.chorus.model.streams.StreamRegistry;
import io.chorus.model.streams.StreamState;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.ServiceProcess;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LLM workers as separate JVMs, started and killed like in production: the work spreads over them, a
 * worker killed with SIGKILL mid-answer has its answers ended with 503 and their partial text stored,
 * and a worker started later takes new work without restarting anything.
 */
class WorkerPoolIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final Pattern WORKER_ID = Pattern.compile("LLM worker ([0-9a-f-]{36}) listening");

  private StreamRegistry registry;
  private final List<ServiceProcess> workers = new ArrayList<>();

  @Override
  protected ClusterHarness startCluster() {
    // One user keeps four answers running to spread them over the workers: above the default per-user
    // bound (AI_MAX_ACTIVE_PER_USER, 3), which this test is not about.
    return ClusterHarness.start(Map.of("AI_MAX_ACTIVE_PER_USER", "10"), false);
  }

  @BeforeAll
  void openRegistry() {
    registry = new SharedDataStreamRegistry(cluster.nodeA);
  }

  @AfterAll
  void stopProcesses() {
    workers.forEach(ServiceProcess::close);
  }

  private ServiceProcess startWorker(String name) {
    ServiceProcess worker = cluster.startService(name, io.chorus.llm.Main.class, Map.of()).awaitUp();
    workers.add(worker);
    return worker;
  }

  private static String workerId(ServiceProcess worker) {
    Matcher m = WORKER_ID.matcher(worker.output());
    assertThat(m.find()).as("worker id in %s", worker).isTrue();
    return m.group(1);
  }

  private static JsonObject ask(String conversationId, String clientMsgId) {
    return new JsonObject().put("conversationId", conversationId).put("text", "please answer slowly")
        .put("clientMsgId", clientMsgId).put("ai", true);
  }

  @Test
  void workersShareTheWorkSurviveAKillAndWelcomeANewcomer() {
    ServiceProcess first = startWorker("llm-1");
    ServiceProcess second = startWorker("llm-2");
    String firstId = workerId(first);
    String secondId = workerId(second);
    cluster.provider.answerWith(IntStream.range(0, 400).mapToObj(i -> "t" + i + " ").toList(), 25);

    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "pool");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      List<String> streams = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        socket.call("client.chat.send", ask(conversation, "q" + i));
        streams.add(socket.awaitEvent("ai_thinking").getString("streamId"));
      }
      Map<String, StringBuilder> received = new HashMap<>();
      streams.forEach(id -> received.put(id, new StringBuilder()));
      for (String streamId : streams) {
        for (int n = 0; n < 3; n++) {
          JsonObject chunk = socket.awaitEvent(e -> "ai_response_chunk".equals(e.getString("type"))
              && streamId.equals(e.getString("streamId")), WAIT);
          received.get(streamId).append(chunk.getString("delta"));
        }
      }
      Map<String, String> owners = Wait.on(registry.ofConversation(conversation), 10).stream()
          .collect(Collectors.toMap(StreamState::streamId, StreamState::workerId));
      assertThat(owners.keySet()).containsExactlyInAnyOrderElementsOf(streams);
      assertThat(Set.copyOf(owners.values())).as("the work spread over both workers")
          .containsExactlyInAnyOrder(firstId, secondId);

      first.kill9();

      for (String streamId : streams) {
        JsonObject terminal = socket.followStream(streamId, c -> received.get(streamId).append(c.getString("delta")),
            WAIT);
        if (owners.get(streamId).equals(firstId)) {
          assertThat(terminal.getString("type")).isEqualTo("ai_response_error");
          assertThat(terminal.getInteger("code")).isEqualTo(503);
          // Everything that reached the room is stored; the worker may have died with one more chunk
          // recorded and on its way, which the stored content then carries too.
          assertThat(terminal.getString("content")).as("the text that reached the room is stored")
              .startsWith(received.get(streamId).toString());
          assertThat(terminal.getLong("seq")).isPositive();
        } else {
          assertThat(terminal.getString("type")).isEqualTo("ai_response_complete");
          assertThat(terminal.getString("content")).isEqualTo(received.get(streamId).toString());
        }
      }
      long killedStreams = owners.values().stream().filter(firstId::equals).count();
      assertThat(cluster.database.count("SELECT count(*) FROM messages WHERE role = 'assistant'"
          + " AND finish_reason = 'error' AND usage_estimated AND conversation_id = '" + conversation + "'"))
          .as("the killed worker's partial answers are stored with usage").isEqualTo(killedStreams);

      ServiceProcess third = startWorker("llm-3");
      String thirdId = workerId(third);
      cluster.provider.answerWith(List.of("fresh ", "answer"), 400);
      Set<String> newOwners = new HashSet<>();
      for (int i = 0; i < 6 && !newOwners.contains(thirdId); i++) {
        socket.call("client.chat.send", ask(conversation, "later" + i));
        String streamId = socket.awaitEvent("ai_thinking").getString("streamId");
        socket.awaitEvent(e -> "ai_response_chunk".equals(e.getString("type"))
            && streamId.equals(e.getString("streamId")), WAIT);
        StreamState state = Wait.on(registry.get(streamId), 10);
        if (state != null) {
          newOwners.add(state.workerId());
        }
        assertThat(socket.followStream(streamId, c -> { }, WAIT).getString("type"))
            .isEqualTo("ai_response_complete");
      }
      assertThat(newOwners).as("the newcomer took work").contains(thirdId).doesNotContain(firstId);
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void usageIsReportedPerConversationForEveryEnding() {
    ServiceProcess worker = startWorker("llm-usage");
    Account bob = api.register("bob");
    String conversation = api.createConversation(bob, "usage");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token())) {
      socket.enter(conversation);
      cluster.provider.answerWith(List.of("fine ", "thanks"), 0);
      socket.call("client.chat.send", ask(conversation, "u1"));
      String done = socket.awaitEvent("ai_thinking").getString("streamId");
      assertThat(socket.followStream(done, c -> { }, WAIT).getString("type")).isEqualTo("ai_response_complete");

      cluster.provider.failMidStream(List.of("half ", "an "));
      socket.call("client.chat.send", ask(conversation, "u2"));
      String failed = socket.awaitEvent("ai_thinking").getString("streamId");
      assertThat(socket.followStream(failed, c -> { }, WAIT).getString("type")).isEqualTo("ai_response_error");

      JsonObject usage = api.expect(200, HttpMethod.GET, "/api/usage", bob.token(), null);
      JsonObject mine = usage.getJsonArray("conversations").stream().map(o -> (JsonObject) o)
          .filter(c -> conversation.equals(c.getString("conversationId"))).findFirst().orElseThrow();
      assertThat(mine.getLong("answers")).isEqualTo(2);
      assertThat(mine.getLong("completionTokens")).isPositive();
      assertThat(mine.getLong("promptTokens")).isPositive();
      assertThat(mine.getLong("estimatedAnswers")).as("the failed answer's usage is estimated").isEqualTo(1);
      assertThat(usage.getLong("completionTokens")).isGreaterThanOrEqualTo(mine.getLong("completionTokens"));
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
      worker.close(); // the other test counts the workers it started
    }
  }
}
