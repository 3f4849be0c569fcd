package io.chorus.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.llm.testing.FakeAnthropicServer;
import io.chorus.model.storage.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AnthropicProvider} (without retries) against {@link FakeAnthropicServer} on loopback. */
class AnthropicProviderIT extends FakeServerIT<FakeAnthropicServer, AnthropicProvider> {
  private static final String KEY = "sk-ant-test-secret-key-123";

  @BeforeEach
  void startFake() throws Exception {
    fake = FakeAnthropicServer.start(vertx).await(10, TimeUnit.SECONDS);
    provider = provider(Map.of());
  }

  private AnthropicProvider provider(Map<String, String> extra) {
    return new AnthropicProvider(vertx, config("anthropic", KEY, "claude-fake", extra));
  }

  private Outcome run(List<ChatTurn> turns) throws Exception {
    return Outcome.collect(vertx, provider, turns).await(10, TimeUnit.SECONDS);
  }

  @Test
  void streamsTheDeltasInOrderAndParsesTheUsage() throws Exception {
    List<String> deltas = IntStream.range(0, 40).mapToObj(i -> "tok" + i + " ").toList();
    fake.answerWith(deltas, 0);

    Outcome outcome = run(TURNS);

    assertThat(outcome.error()).isNull();
    assertThat(outcome.deltas()).isEqualTo(deltas);
    assertThat(outcome.finishReason()).isEqualTo("stop");
    JsonObject body = fake.requests().get(0);
    assertThat(outcome.usage()).isEqualTo(new Usage(FakeAnthropicServer.inputTokens(body), 40, false));
    assertThat(outcome.usage().promptTokens()).isPositive();

    assertThat(body.getString("model")).isEqualTo("claude-fake");
    assertThat(body.getInteger("max_tokens")).isEqualTo(1024);
    assertThat(body.getBoolean("stream")).isTrue();
    assertThat(body.getString("system")).isEqualTo("Be brief.");
    assertThat(body.getJsonArray("messages"))
        .isEqualTo(new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello?")));
    Map<String, String> headers = fake.requestHeaders().get(0);
    assertThat(headers).containsEntry("x-api-key", KEY).containsEntry("anthropic-version", "2023-06-01")
        .containsEntry("content-type", "application/json").containsEntry("accept", "text/event-stream")
        .doesNotContainKey("authorization");
  }

  @Test
  void deltasSpreadOverTimeArriveInOrder() throws Exception {
    fake.answerWith(List.of("One", ", two", ", three", " — ünïcødé ✓"), 5);
    Outcome outcome = run(TURNS);
    assertThat(outcome.deltas()).containsExactly("One", ", two", ", three", " — ünïcødé ✓");
    assertThat(outcome.finishReason()).isEqualTo("stop");
  }

  @Test
  void theSystemPromptIsTopLevelAndTheRolesAlternate() throws Exception {
    List<ChatTurn> groupChat = List.of(
        ChatTurn.system("You are in a group chat."),
        ChatTurn.assistant("an answer from before the window"),
        ChatTurn.user("Ann: hi"),
        ChatTurn.user("Bob: hello"),
        ChatTurn.assistant("Hi both."),
        ChatTurn.assistant("Anything else?"),
        ChatTurn.user("Ann: what is 2+2?"));

    Outcome outcome = run(groupChat);

    assertThat(outcome.error()).isNull(); // the fake refuses, as Anthropic does, roles that do not alternate
    JsonObject body = fake.requests().get(0);
    assertThat(body.getString("system")).isEqualTo("You are in a group chat.");
    assertThat(body.getJsonArray("messages")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Ann: hi\n\nBob: hello"))
        .add(new JsonObject().put("role", "assistant").put("content", "Hi both.\n\nAnything else?"))
        .add(new JsonObject().put("role", "user").put("content", "Ann: what is 2+2?")));
  }

  @Test
  void stopReasonsAreMappedToTheContractsFinishReasons() throws Exception {
    Map<String, String> expected = Map.of("end_turn", "stop", "stop_sequence", "stop", "max_tokens", "length");
    for (Map.Entry<String, String> entry : expected.entrySet()) {
      fake.stopReason(entry.getKey());
      Outcome outcome = run(TURNS);
      assertThat(outcome.finishReason()).as(entry.getKey()).isEqualTo(entry.getValue());
      assertThat(outcome.deltas()).isEqualTo(FakeAnthropicServer.DEFAULT_DELTAS);
    }
  }

  @Test
  void anErrorEventMidStreamFailsWith503AfterTheEarlierDeltas() throws Exception {
    fake.failMidStream(List.of("Par", "tial"));
    Outcome outcome = run(TURNS);
    assertThat(outcome.deltas()).containsExactly("Par", "tial");
    outcome.assertUnavailable("reported an error", KEY);
  }

  @Test
  void overloadedAndServerErrorsFailWith503() throws Exception {
    for (int status : new int[] {529, 500}) {
      fake.failWith(status, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
      Outcome outcome = run(TURNS);
      assertThat(outcome.deltas()).isEmpty();
      outcome.assertUnavailable("HTTP " + status, KEY);
    }
    assertThat(fake.requests()).hasSize(2); // no retry without a RetryingProvider
  }

  @Test
  void aRejectedKeyFailsWith503WithoutShowingIt() throws Exception {
    fake.failWith(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key "
        + KEY + "\"}}");
    Outcome outcome = run(TURNS);
    outcome.assertUnavailable("HTTP 401", KEY);
  }

  @Test
  void cancelAbortsTheRequestAndStopsTheCallbacks() throws Exception {
    cancellingOnTheFirstDeltaAbortsTheRequestAndStopsTheCallbacks();
  }

  @Test
  void aSlowStartWithinTheIdleTimeoutIsAnswered() throws Exception {
    fake.firstByteDelayMs(200);
    AnthropicProvider patient = provider(Map.of("LLM_IDLE_TIMEOUT_MS", "10000"));
    try {
      Outcome outcome = Outcome.collect(vertx, patient, TURNS).await(10, TimeUnit.SECONDS);
      assertThat(outcome.deltas()).isEqualTo(FakeAnthropicServer.DEFAULT_DELTAS);
    } finally {
      patient.close();
    }
  }

  @Test
  void aSlowStartBeyondTheIdleTimeoutFailsWith503() throws Exception {
    fake.firstByteDelayMs(60_000);
    AnthropicProvider impatient = provider(Map.of("LLM_IDLE_TIMEOUT_MS", "200"));
    try {
      Outcome outcome = Outcome.collect(vertx, impatient, TURNS).await(10, TimeUnit.SECONDS);
      assertThat(outcome.deltas()).isEmpty();
      outcome.assertUnavailable("in time", KEY);
    } finally {
      impatient.close();
    }
  }
}
