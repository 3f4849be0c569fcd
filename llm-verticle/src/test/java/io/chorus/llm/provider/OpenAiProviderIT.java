package io.chorus.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.llm.Await;
import io.chorus.llm.testing.FakeOpenAiServer;
import io.chorus.model.storage.Usage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link OpenAiProvider} against {@link FakeOpenAiServer} on loopback. */
class OpenAiProviderIT extends FakeServerIT<FakeOpenAiServer, OpenAiProvider> {
  private static final String KEY = "sk-test-secret-key-123";

  @BeforeEach
  void startFake() throws Exception {
    fake = FakeOpenAiServer.start(vertx).await(10, TimeUnit.SECONDS);
    provider = provider(Map.of());
  }

  private OpenAiProvider provider(Map<String, String> extra) {
    return new OpenAiProvider(vertx, config("openai", KEY, "fake-model", extra));
  }

  private static Future<Outcome> collect(ChatProvider provider, List<ChatTurn> turns) {
    return Outcome.collect(vertx, provider, turns);
  }

  private static void assertUnavailable(Outcome outcome, String messagePart) {
    outcome.assertUnavailable(messagePart, KEY);
  }

  @Test
  void streamsTheDeltasInOrderAndParsesTheUsage() throws Exception {
    List<String> deltas = IntStream.range(0, 40).mapToObj(i -> "tok" + i + " ").toList();
    fake.answerWith(deltas, 0);

    Outcome outcome = collect(provider, TURNS).await(10, TimeUnit.SECONDS);

    assertThat(outcome.error()).isNull();
    assertThat(outcome.deltas()).isEqualTo(deltas);
    assertThat(outcome.finishReason()).isEqualTo("stop");
    int promptChars = "Be brief.".length() + "Hello?".length();
    assertThat(outcome.usage()).isEqualTo(new Usage((promptChars + 3) / 4, 40, false));

    JsonObject body = fake.requests().get(0);
    assertThat(body.getString("model")).isEqualTo("fake-model");
    assertThat(body.getBoolean("stream")).isTrue();
    assertThat(body.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(body.getJsonArray("messages")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "Be brief."))
        .add(new JsonObject().put("role", "user").put("content", "Hello?")));
  }

  @Test
  void deltasSpreadOverTimeArriveInOrder() throws Exception {
    fake.answerWith(List.of("One", ", two", ", three", " — ünïcødé ✓"), 5);
    Outcome outcome = collect(provider, TURNS).await(10, TimeUnit.SECONDS);
    assertThat(outcome.deltas()).containsExactly("One", ", two", ", three", " — ünïcødé ✓");
    assertThat(outcome.finishReason()).isEqualTo("stop");
  }

  @Test
  void http500FailsWith503() throws Exception {
    fake.failWith(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
    Outcome outcome = collect(provider, TURNS).await(10, TimeUnit.SECONDS);
    assertThat(outcome.deltas()).isEmpty();
    assertUnavailable(outcome, "HTTP 500");
  }

  @Test
  void http401FailsWith503WithoutShowingTheKey() throws Exception {
    fake.failWith(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"code\":\"invalid_api_key\"}}");
    Outcome outcome = collect(provider, TURNS).await(10, TimeUnit.SECONDS);
    assertThat(outcome.deltas()).isEmpty();
    assertUnavailable(outcome, "HTTP 401");
  }

  @Test
  void anErrorEventMidStreamFailsAfterTheEarlierDeltas() throws Exception {
    fake.failMidStream(List.of("Par", "tial"));
    Outcome outcome = collect(provider, TURNS).await(10, TimeUnit.SECONDS);
    assertThat(outcome.deltas()).containsExactly("Par", "tial");
    assertUnavailable(outcome, "reported an error");
  }

  @Test
  void cancelAbortsTheRequestAndStopsTheCallbacks() throws Exception {
    cancellingOnTheFirstDeltaAbortsTheRequestAndStopsTheCallbacks();
  }

  @Test
  void aListenerThatThrowsEndsTheStreamWithAnErrorRatherThanSkippingText() throws Exception {
    // All at once, so several events share a network buffer: a throw must not skip the buffer's rest silently.
    fake.answerWith(IntStream.range(0, 40).mapToObj(i -> "w" + i + " ").toList(), 0);
    List<String> deltas = new CopyOnWriteArrayList<>();
    List<String> terminal = new CopyOnWriteArrayList<>();
    vertx.getOrCreateContext().runOnContext(v -> provider.stream(TURNS, new ChatProvider.Listener() {
      @Override
      public void onDelta(String delta) {
        deltas.add(delta);
        if (delta.equals("w3 ")) {
          throw new IllegalStateException("listener broke");
        }
      }

      @Override
      public void onEnd(String finishReason, Usage usage) {
        terminal.add("end");
      }

      @Override
      public void onError(Throwable error) {
        terminal.add("error " + error.getMessage());
      }
    }));

    Await.until(vertx, () -> !terminal.isEmpty()).await(10, TimeUnit.SECONDS);
    assertThat(terminal).containsExactly("error the answer failed");
    assertThat(deltas).containsExactly("w0 ", "w1 ", "w2 ", "w3 ");
  }

  @Test
  void aSlowStartWithinTheIdleTimeoutIsAnswered() throws Exception {
    fake.firstByteDelayMs(200);
    Outcome outcome = collect(provider, TURNS).await(10, TimeUnit.SECONDS);
    assertThat(outcome.deltas()).isEqualTo(FakeOpenAiServer.DEFAULT_DELTAS);
    assertThat(outcome.finishReason()).isEqualTo("stop");
  }

  @Test
  void aRefusedConnectionFailsWith503() throws Exception {
    // A socket bound but never listening holds its port, so every connect to it is refused; a port merely
    // closed again could be taken by another test's server in between (it was once: a Hazelcast member).
    try (Socket boundNotListening = new Socket()) {
      boundNotListening.bind(new InetSocketAddress("127.0.0.1", 0));
      OpenAiProvider refused = provider(Map.of("LLM_BASE_URL", "http://127.0.0.1:" + boundNotListening.getLocalPort()));
      try {
        Outcome outcome = collect(refused, TURNS).await(10, TimeUnit.SECONDS);
        assertUnavailable(outcome, "unreachable");
      } finally {
        refused.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aStreamThatGoesSilentFailsOnTheIdleTimeout() throws Exception {
    fake.answerWith(List.of("first", " never"), 60_000);
    OpenAiProvider impatient = provider(Map.of("LLM_IDLE_TIMEOUT_MS", "300"));
    try {
      Outcome outcome = collect(impatient, TURNS).await(10, TimeUnit.SECONDS);
      assertThat(outcome.deltas()).containsExactly("first");
      assertUnavailable(outcome, "in time");
    } finally {
      impatient.close();
    }
  }
}
