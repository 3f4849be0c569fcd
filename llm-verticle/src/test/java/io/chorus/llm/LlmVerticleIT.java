package io.chorus.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.llm.testing.FakeOpenAiServer;
import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.llm.CompletionAccepted;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker across a real cluster: {@link LlmVerticle} on one node with the OpenAI provider pointed at
 * {@link FakeOpenAiServer}; fake storage and the room listener on the other, so every request and event
 * crosses the cluster.
 */
class LlmVerticleIT {
  private static final long STORED_SEQ = 42;

  private static Vertx llmNode;
  private static Vertx otherNode;
  private static FakeOpenAiServer fake;
  private static final List<HistoryQuery> historyQueries = new CopyOnWriteArrayList<>();
  private static final List<AppendMessage> appends = new CopyOnWriteArrayList<>();
  private static final Map<String, StoredMessage> questions = new ConcurrentHashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    ClusterSettings settings =
        ClusterSettings.loopback("llm-it-" + UUID.randomUUID(), ThreadLocalRandom.current().nextInt(20_000, 40_000));
    llmNode = ClusterNode.start(settings).await(60, TimeUnit.SECONDS);
    otherNode = ClusterNode.start(settings).await(60, TimeUnit.SECONDS);
    fake = FakeOpenAiServer.start(llmNode).await(10, TimeUnit.SECONDS);

    LlmConfig config = LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "openai", "LLM_BASE_URL", fake.baseUrl(),
        "LLM_CHUNK_WINDOW_MS", "0",
        "LLM_MODEL", "fake-model", "LLM_SYSTEM_PROMPT", "You are a test.")));
    llmNode.deployVerticle(new LlmVerticle(config)).await(30, TimeUnit.SECONDS);

    MessageConsumer<JsonObject> history = Bus.consume(otherNode.eventBus(), Addresses.STORAGE_MESSAGE_HISTORY, q -> {
      historyQueries.add(q);
      StoredMessage question = questions.get(q.conversationId());
      return Future.succeededFuture(new HistoryPage(List.of(question), question.seq()));
    });
    MessageConsumer<JsonObject> append = Bus.consume(otherNode.eventBus(), Addresses.STORAGE_MESSAGE_APPEND, m -> {
      appends.add(m);
      return Future.succeededFuture(new AppendResult(new StoredMessage(UUID.randomUUID().toString(),
          m.conversationId(), STORED_SEQ, m.role(), null, null, m.content(), null, m.replyTo(), m.streamId(),
          m.finishReason(), m.errorCode(), m.error(), m.usage(), "2025-01-01T00:00:00Z"), false));
    });
    Future.all(history.completion(), append.completion()).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (llmNode != null) {
      llmNode.close().await(30, TimeUnit.SECONDS);
    }
    if (otherNode != null) {
      otherNode.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** Listens to the room on the other node until a final event, then asks the worker to answer. */
  private static List<JsonObject> askAndCollect(String conversationId, String question) throws Exception {
    String replyTo = UUID.randomUUID().toString();
    questions.put(conversationId, new StoredMessage(replyTo, conversationId, 41, "user", "u1", "alice", question, null,
        null, null, null, null, null, null, null));
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    Promise<Void> ended = Promise.promise();
    MessageConsumer<JsonObject> room = otherNode.eventBus().consumer(Addresses.conversationEvents(conversationId), m -> {
      events.add(m.body());
      String type = m.body().getString("type");
      if (RoomEvents.AI_RESPONSE_COMPLETE.equals(type) || RoomEvents.AI_RESPONSE_ERROR.equals(type)) {
        ended.tryComplete();
      }
    });
    room.completion().await(30, TimeUnit.SECONDS);
    String streamId = UUID.randomUUID().toString();
    CompletionAccepted accepted = Bus.request(otherNode.eventBus(), Addresses.LLM_COMPLETION_START,
        new StartCompletion(conversationId, streamId, replyTo, "u1")).await(10, TimeUnit.SECONDS);
    assertThat(accepted.streamId()).isEqualTo(streamId);
    ended.future().await(30, TimeUnit.SECONDS);
    room.unregister().await(10, TimeUnit.SECONDS);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.getString("streamId")).isEqualTo(streamId);
      assertThat(e.getString("conversationId")).isEqualTo(conversationId);
    });
    return events;
  }

  @Test
  void streamsChunksInOrderThenTheStoredAnswer() throws Exception {
    List<String> deltas = List.of("Clustered", " answers", " arrive", " in", " order", ".");
    fake.answerWith(deltas, 2);
    String conversationId = UUID.randomUUID().toString();

    List<JsonObject> events = askAndCollect(conversationId, "Does it work across nodes?");

    List<JsonObject> chunks = events.subList(0, events.size() - 1);
    assertThat(chunks).allSatisfy(c -> assertThat(c.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_CHUNK));
    // Deltas that arrive while the previous chunk is being recorded go out joined; order and text are kept.
    assertThat(chunks).extracting(c -> c.getLong("index"))
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, chunks.size()).boxed().toList());
    assertThat(String.join("", chunks.stream().map(c -> c.getString("delta")).toList()))
        .isEqualTo(String.join("", deltas));

    JsonObject complete = events.get(events.size() - 1);
    assertThat(complete.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_COMPLETE);
    assertThat(complete.getString("content")).isEqualTo(String.join("", deltas));
    assertThat(complete.getLong("seq")).isEqualTo(STORED_SEQ);
    assertThat(complete.getString("finishReason")).isEqualTo("stop");
    assertThat(complete.getJsonObject("usage").getInteger("completionTokens")).isEqualTo(deltas.size());
    assertThat(complete.getJsonObject("usage").containsKey("estimated")).isFalse();

    assertThat(historyQueries).anySatisfy(q -> assertThat(q.conversationId()).isEqualTo(conversationId));
    AppendMessage stored = appends.stream().filter(a -> a.conversationId().equals(conversationId)).findFirst()
        .orElseThrow();
    assertThat(stored.role()).isEqualTo(AppendMessage.ROLE_ASSISTANT);
    assertThat(stored.content()).isEqualTo(String.join("", deltas));
    JsonObject request = fake.requests().get(fake.requests().size() - 1);
    assertThat(request.getJsonArray("messages").encode())
        .isEqualTo("[{\"role\":\"system\",\"content\":\"You are a test.\"},"
            + "{\"role\":\"user\",\"content\":\"Does it work across nodes?\"}]");
  }

  @Test
  void aProviderFailureEndsTheStreamWithAnError() throws Exception {
    fake.failWith(500, "{\"error\":{\"message\":\"down\"}}");
    String conversationId = UUID.randomUUID().toString();

    List<JsonObject> events = askAndCollect(conversationId, "Anyone there?");

    assertThat(events).hasSize(1);
    JsonObject error = events.get(0);
    assertThat(error.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_ERROR);
    assertThat(error.getInteger("code")).isEqualTo(503);
    assertThat(error.containsKey("seq")).isFalse();
    assertThat(appends).noneSatisfy(a -> assertThat(a.conversationId()).isEqualTo(conversationId));
  }
}
