package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.BridgeError;
import io.chorus.fixtures.ReconnectingClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.OpsProbe;
import io.chorus.systemtests.support.PostgresServer;
import io.chorus.systemtests.support.ServiceProcess;
import io.chorus.systemtests.support.WorkerIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failures an operator meets, with the parts that fail running as separate JVMs: the storage
 * service, the LLM worker and an extra gateway are processes killed or stopped like in production,
 * against the real PostgreSQL server. Everything else keeps running throughout: nothing is restarted
 * to recover.
 */
class ClusterFailureIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(40);
  /** How long the storage outage lasts: sends keep coming in all along. */
  private static final long OUTAGE_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long SEND_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private ServiceProcess storage;
  private ServiceProcess worker;
  private final List<ServiceProcess> processes = new ArrayList<>();
  private OpsProbe ops;

  @Override
  protected ClusterHarness startCluster() {
    // The drain test asks until a question lands on the worker it stops, answers still running: more
    // than the default per-user bound (AI_MAX_ACTIVE_PER_USER, 3) may be needed, which it is not about.
    // The storage outage's client sends again, at once, every message refused while storage was down: more than
    // the default burst of 20 a user has across the cluster. What is tested there is that none is lost.
    return ClusterHarness.start(Map.of("AI_MAX_ACTIVE_PER_USER", "20", "CHAT_MESSAGES_BURST", "100"), false, false);
  }

  @BeforeAll
  void startServiceProcesses() {
    storage = start("storage-1", io.chorus.storage.Main.class, Map.of());
    worker = start("llm-1", io.chorus.llm.Main.class, Map.of());
    ops = new OpsProbe(client);
  }

  @AfterAll
  void stopServiceProcesses() {
    processes.forEach(ServiceProcess::close);
    if (ops != null) {
      ops.close();
    }
  }

  private ServiceProcess start(String name, Class<?> main, Map<String, String> env) {
    ServiceProcess process = cluster.startService(name, main, env).awaitUp();
    processes.add(process);
    return process;
  }

  private static JsonObject message(String conversationId, String text, String clientMsgId, boolean ai) {
    return new JsonObject().put("conversationId", conversationId).put("text", text).put("clientMsgId", clientMsgId)
        .put("ai", ai);
  }

  private static List<String> words(int count) {
    return IntStream.range(0, count).mapToObj(i -> "w" + i + " ").toList();
  }

  @Test
  void aGatewayKilledMidConversationLosesNothingForItsClientsWhoMoveToAnother() {
    int port = ClusterHarness.freePort();
    ServiceProcess doomed = start("gateway-doomed", io.chorus.gateway.Main.class, Map.of("HTTP_PORT", "" + port));
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    Account carol = api.register("carol");
    String conversation = api.createConversation(alice, "gateway crash", bob, carol);
    List<String> deltas = words(120);
    cluster.provider.answerWith(deltas, 25);

    try (BridgeClient carolSocket = BridgeClient.connect(client, cluster.gatewayPort(), carol.token());
        ReconnectingClient aliceApp = ReconnectingClient.connect(client, port, alice.token());
        ReconnectingClient bobApp = ReconnectingClient.connect(client, port, bob.token())) {
      carolSocket.enter(conversation);
      aliceApp.enter(conversation);
      bobApp.enter(conversation);

      for (int i = 0; i < 5; i++) {
        Wait.on(aliceApp.send(message(conversation, "before " + i, "m" + i, false)), 15);
      }
      Wait.on(aliceApp.send(message(conversation, "a long story please", "q", true)), 15);
      String streamId = bobApp.socket().awaitEvent("ai_thinking").getString("streamId");
      bobApp.socket().awaitEvent(e -> streamId.equals(e.getString("streamId")) && "ai_response_chunk".equals(
          e.getString("type")) && e.getLong("index") == 9, WAIT);
      String shownBeforeTheCrash = bobApp.answer(streamId).text();
      // Sent as the gateway dies: some replies never come, and the client keeps those to send again.
      for (int i = 5; i < 10; i++) {
        aliceApp.send(message(conversation, "during " + i, "m" + i, false));
      }

      doomed.kill9();
      Wait.until("both sockets closed", WAIT, () -> aliceApp.socket().isClosed() && bobApp.socket().isClosed());

      // Both come back through the other gateways, by the protocol's "Reconnecting" steps.
      aliceApp.reconnect(cluster.gatewayPort());
      bobApp.reconnect(cluster.secondGatewayPort());
      assertThat(aliceApp.unacknowledged()).as("every message acknowledged after the resend").isEmpty();

      JsonObject end = bobApp.awaitEnd(streamId, WAIT);
      assertThat(end.getString("type")).isEqualTo("ai_response_complete");
      ReconnectingClient.Answer answer = bobApp.answer(streamId);
      assertThat(answer.text()).as(() -> "the answer as bob's client shows it; " + worker.problems())
          .isEqualTo(String.join("", deltas)).startsWith(shownBeforeTheCrash);

      // 10 messages, the question and the answer: 12 persisted events, each once, for everyone.
      long expected = 12;
      List<Long> all = LongStream.rangeClosed(1, expected).boxed().toList();
      List<Long> carolSeqs = carolSocket.awaitEvents(e -> e.containsKey("seq"), (int) expected, WAIT).stream()
          .map(e -> e.getLong("seq")).toList();
      assertThat(carolSeqs).as("in seq order, no gap, no duplicate").containsExactlyElementsOf(all);
      for (ReconnectingClient app : List.of(aliceApp, bobApp)) {
        app.awaitSeq(conversation, expected, WAIT);
        assertThat(app.persisted(conversation).keySet()).containsExactlyElementsOf(all);
        assertThat(app.contractBreaks()).isEmpty();
      }
      assertThat(cluster.database.count("SELECT count(*) FROM messages WHERE conversation_id = '"
          + conversation + "' AND role = 'user'")).as("every message stored once").isEqualTo(11);
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void storageStoppedForTenSecondsRefusesSendsWith503AndTheyWorkOnceItIsBack() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "storage outage");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      socket.call("client.chat.send", message(conversation, "before", "before", false));

      storage.close();
      List<JsonObject> refused = new ArrayList<>();
      long downSince = System.nanoTime();
      for (int i = 0; System.nanoTime() - downSince < OUTAGE_NANOS; i++) {
        JsonObject m = message(conversation, "during " + i, "during-" + i, false);
        assertThat(socket.failureCode("client.chat.send", m)).as("a send while storage is down").isEqualTo(503);
        refused.add(m);
        LockSupport.parkNanos(SEND_EVERY_NANOS); // the outage lasts 10 s with sends arriving throughout
      }
      assertThat(ops.readiness(cluster.gatewayPort())).as("a gateway is not ready without storage").isEqualTo(503);

      storage = start("storage-2", io.chorus.storage.Main.class, Map.of());
      JsonObject after = message(conversation, "after", "after", false);
      Wait.until("sends work again", WAIT, () -> {
        try {
          socket.call("client.chat.send", after);
          return true;
        } catch (BridgeError e) {
          assertThat(e.code).isEqualTo(503);
          return false;
        }
      });
      for (JsonObject m : refused) {
        socket.call("client.chat.send", m); // the client sends what was refused again
      }

      JsonObject history = socket.call("client.chat.history",
          new JsonObject().put("conversationId", conversation).put("afterSeq", 0).put("limit", 500));
      List<String> stored = history.getJsonArray("messages").stream()
          .map(m -> ((JsonObject) m).getString("clientMsgId")).toList();
      List<String> expected = new ArrayList<>(List.of("before", "after"));
      refused.forEach(m -> expected.add(m.getString("clientMsgId")));
      assertThat(stored).as("each message once, none lost").containsExactlyElementsOf(expected);
      assertThat(history.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).toList())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, expected.size()).boxed().toList());
      Wait.until("the gateway is ready again", WAIT, () -> ops.readiness(cluster.gatewayPort()) == 200);
    }
  }

  @Test
  void aPostgresRestartIsSurvivedByThePoolWithoutRestartingAnything() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "database restart");
    long storagePid = storage.pid();
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      socket.call("client.chat.send", message(conversation, "before", "before", false));

      PostgresServer.restart();

      JsonObject after = message(conversation, "after the restart", "after", false);
      Wait.until("sends work again", WAIT, () -> {
        try {
          socket.call("client.chat.send", after);
          return true;
        } catch (BridgeError e) {
          assertThat(e.code).as("refused while the database comes back").isEqualTo(503);
          return false;
        }
      });
      JsonObject history = socket.call("client.chat.history",
          new JsonObject().put("conversationId", conversation).put("afterSeq", 0));
      assertThat(history.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("clientMsgId")))
          .containsExactly("before", "after");
      assertThat(storage.pid()).as("the same storage process").isEqualTo(storagePid);
      assertThat(storage.isAlive()).isTrue();
      Wait.until("storage reports ready", WAIT, () -> ops.readiness(storage.opsPort()) == 200);
    }
  }

  @Test
  void aGatewayStoppedGracefullyTellsItsSocketsToReconnectAndTheyCarryOnElsewhere() {
    int port = ClusterHarness.freePort();
    ServiceProcess leaving = start("gateway-leaving", io.chorus.gateway.Main.class, Map.of("HTTP_PORT", "" + port));
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(bob, "graceful", alice);

    try (BridgeClient bobSocket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token());
        ReconnectingClient aliceApp = ReconnectingClient.connect(client, port, alice.token())) {
      bobSocket.enter(conversation);
      aliceApp.register("client.user." + alice.userId());
      aliceApp.enter(conversation);
      assertThat(bobSocket.presenceEvents(alice.userId(), 1, WAIT)).containsExactly("user_joined");

      Future<Void> stopped = client.executeBlocking(() -> {
        leaving.close(); // SIGTERM, and wait for the process to exit
        return null;
      });
      JsonObject notice = aliceApp.socket().awaitEvent(e -> "gateway_closing".equals(e.getString("type")), WAIT);
      assertThat(notice.getLong("reconnectAfterMs")).as("a window to spread the reconnects over").isPositive();
      Wait.until("the gateway closed alice's socket", WAIT, () -> aliceApp.socket().isClosed());
      assertThat(bobSocket.presenceEvents(alice.userId(), 1, WAIT)).containsExactly("user_left");
      Wait.on(stopped, 60);
      assertThat(leaving.output()).contains("gateway stopped");

      aliceApp.reconnect(cluster.secondGatewayPort());
      assertThat(bobSocket.presenceEvents(alice.userId(), 1, WAIT)).containsExactly("user_joined");
      Wait.on(aliceApp.send(message(conversation, "still here", "graceful-1", false)), 15);
      assertThat(bobSocket.awaitEvent("new_message").getString("content")).isEqualTo("still here");
      assertThat(aliceApp.contractBreaks()).isEmpty();
    }
  }

  @Test
  void anLlmWorkerStoppedGracefullyFinishesItsAnswerAndTakesNoNewOnes() {
    ServiceProcess leaving = start("llm-leaving", io.chorus.llm.Main.class, Map.of());
    String leavingId = WorkerIds.of(leaving);
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "worker drain");
    List<String> deltas = words(80);
    cluster.provider.answerWith(deltas, 30);
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      // The bus spreads questions over the workers: ask until the leaving one has one.
      String streamId = null;
      for (int i = 0; i < 10 && streamId == null; i++) {
        socket.call("client.chat.send", message(conversation, "question " + i, "drain-" + i, true));
        String candidate = socket.awaitEvent("ai_thinking").getString("streamId");
        socket.awaitEvent(e -> candidate.equals(e.getString("streamId")), WAIT);
        if (leavingId.equals(WorkerIds.owner(cluster, candidate))) {
          streamId = candidate;
        }
      }
      assertThat(streamId).as("a question reached the leaving worker").isNotNull();
      String draining = streamId;

      Future<Void> stopped = client.executeBlocking(() -> {
        leaving.close();
        return null;
      });
      Wait.until("the worker is draining", WAIT, () -> leaving.output().contains("draining"));
      socket.call("client.chat.send", message(conversation, "and another", "drain-next", true));
      String next = socket.awaitEvent(e -> "ai_thinking".equals(e.getString("type"))
          && !draining.equals(e.getString("streamId")), WAIT).getString("streamId");
      socket.awaitEvent(e -> next.equals(e.getString("streamId")), WAIT);
      assertThat(WorkerIds.owner(cluster, next)).as("a new question goes to another worker")
          .isNotNull().isNotEqualTo(leavingId);

      JsonObject terminal = socket.followStream(draining, c -> { }, WAIT);
      assertThat(terminal.getString("type")).as("the answer under way is finished, not cut")
          .isEqualTo("ai_response_complete");
      assertThat(terminal.getString("content")).isEqualTo(String.join("", deltas));
      Wait.on(stopped, 60);
      assertThat(leaving.output()).contains("llm-worker stopped");
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void everyKindOfProcessServesMetricsAndReadiness() {
    ServiceProcess chat = start("chat-ops", io.chorus.chat.Main.class, Map.of());
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "metrics");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);
      socket.call("client.chat.send", message(conversation, "counted", "ops-1", true));
      String streamId = socket.awaitEvent("ai_thinking").getString("streamId");
      socket.followStream(streamId, c -> { }, WAIT);

      assertThat(ops.get(cluster.gatewayPort(), "/metrics").status())
          .as("not public on the clients' port: a scrape needs the METRICS_TOKEN").isEqualTo(401);
      String gateway = ops.metrics(cluster.gatewayPort());
      assertThat(OpsProbe.sample(gateway, "chorus_gateway_connections")).isGreaterThanOrEqualTo(1);
      assertThat(OpsProbe.sample(gateway, "chorus_gateway_rooms")).isGreaterThanOrEqualTo(1);
      assertThat(gateway).contains("vertx_eventbus_handlers", "vertx_http_server_active_connections");
      assertThat(gateway).as("no meter per conversation: the scrape stays bounded however many rooms open")
          .doesNotContain(conversation);
      assertThat(ops.readiness(cluster.gatewayPort())).isEqualTo(200);

      String storageMetrics = ops.metrics(storage.opsPort());
      assertThat(OpsProbe.sample(storageMetrics, "chorus_storage_append_seconds_count")).isPositive();
      assertThat(storageMetrics).contains("vertx_pool_");
      String workerMetrics = ops.metrics(worker.opsPort());
      assertThat(workerMetrics).contains("chorus_llm_streams_active", "chorus_llm_first_token_seconds");
      assertThat(ops.metrics(chat.opsPort())).contains("chorus_chat_send_seconds", "jvm_memory_used_bytes");
      for (ServiceProcess process : List.of(storage, worker, chat)) {
        assertThat(ops.readiness(process.opsPort())).as("%s ready", process).isEqualTo(200);
        assertThat(ops.get(process.opsPort(), "/health/live").status()).isEqualTo(200);
      }
      assertThat(storage.output()).as("log lines name the node").contains(" storage-");
    }
  }
}
