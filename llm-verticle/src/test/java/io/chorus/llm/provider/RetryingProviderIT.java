package io.chorus.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.llm.LlmConfig;
import io.chorus.llm.testing.FakeAnthropicServer;
import io.chorus.llm.testing.FakeOpenAiServer;
import io.chorus.llm.testing.FakeSseServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The retry policy with both HTTP providers against their fake servers: retried before the first token
 * for a 5xx, a 429 or an error event, never after it, never for another 4xx or a timeout.
 */
class RetryingProviderIT extends FakeServerIT<FakeSseServer, ChatProvider> {
  private static final String KEY = "sk-test-secret-key-456";

  /** The two wire formats. */
  enum Wire {
    OPENAI {
      @Override
      Future<? extends FakeSseServer> startFake(Vertx vertx) {
        return FakeOpenAiServer.start(vertx);
      }

      @Override
      ChatProvider provider(Vertx vertx, LlmConfig config) {
        return new OpenAiProvider(vertx, config);
      }
    },
    ANTHROPIC {
      @Override
      Future<? extends FakeSseServer> startFake(Vertx vertx) {
        return FakeAnthropicServer.start(vertx);
      }

      @Override
      ChatProvider provider(Vertx vertx, LlmConfig config) {
        return new AnthropicProvider(vertx, config);
      }
    };

    abstract Future<? extends FakeSseServer> startFake(Vertx vertx);

    abstract ChatProvider provider(Vertx vertx, LlmConfig config);
  }

  /** A retrying provider of {@code wire} with a 1 ms backoff, so the tests do not wait. */
  private void start(Wire wire, Map<String, String> extra) throws Exception {
    fake = wire.startFake(vertx).await(10, TimeUnit.SECONDS);
    Map<String, String> settings = new HashMap<>(Map.of("LLM_RETRY_BACKOFF_MS", "1"));
    settings.putAll(extra);
    LlmConfig config = config(wire.name().toLowerCase(), KEY, "fake-model", settings);
    provider = new RetryingProvider(vertx, wire.provider(vertx, config), RetryPolicy.from(config));
  }

  private Outcome run() throws Exception {
    return Outcome.collect(vertx, provider, TURNS).await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(Wire.class)
  void twoUnavailableAnswersThenTheAnswer(Wire wire) throws Exception {
    start(wire, Map.of());
    fake.failFirst(2, 503);

    Outcome outcome = run();

    assertThat(outcome.error()).isNull();
    assertThat(outcome.deltas()).isEqualTo(FakeSseServer.DEFAULT_DELTAS);
    assertThat(outcome.finishReason()).isEqualTo("stop");
    assertThat(fake.requests()).hasSize(3).allSatisfy(body -> assertThat(body).isEqualTo(fake.requests().get(0)));
  }

  @ParameterizedTest
  @EnumSource(Wire.class)
  void aRateLimitIsRetried(Wire wire) throws Exception {
    start(wire, Map.of());
    fake.failFirst(1, 429);
    Outcome outcome = run();
    assertThat(outcome.deltas()).isEqualTo(FakeSseServer.DEFAULT_DELTAS);
    assertThat(fake.requests()).hasSize(2);
  }

  @ParameterizedTest
  @EnumSource(Wire.class)
  void theLastFailureIsReportedWhenTheRetriesRunOut(Wire wire) throws Exception {
    start(wire, Map.of());
    fake.failWith(503, "{}");
    Outcome outcome = run();
    outcome.assertUnavailable("HTTP 503", KEY);
    assertThat(fake.requests()).hasSize(3); // LLM_RETRIES defaults to 2
  }

  @ParameterizedTest
  @EnumSource(Wire.class)
  void aBadRequestIsNotRetried(Wire wire) throws Exception {
    start(wire, Map.of());
    fake.failWith(400, "{}");
    Outcome outcome = run();
    outcome.assertUnavailable("HTTP 400", KEY);
    assertThat(fake.requests()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Wire.class)
  void aFailureAfterTheFirstDeltaIsNotRetried(Wire wire) throws Exception {
    start(wire, Map.of());
    fake.failMidStream(List.of("Par", "tial"));
    Outcome outcome = run();
    assertThat(outcome.deltas()).containsExactly("Par", "tial");
    outcome.assertUnavailable("reported an error", KEY);
    assertThat(fake.requests()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Wire.class)
  void anErrorEventBeforeTheFirstDeltaIsRetried(Wire wire) throws Exception {
    start(wire, Map.of());
    fake.failMidStream(List.of());
    Outcome outcome = run();
    assertThat(outcome.deltas()).isEmpty();
    outcome.assertUnavailable("reported an error", KEY);
    assertThat(fake.requests()).hasSize(3);
  }

  @ParameterizedTest
  @EnumSource(Wire.class)
  void aTimeoutIsNotRetried(Wire wire) throws Exception {
    start(wire, Map.of("LLM_IDLE_TIMEOUT_MS", "200"));
    fake.firstByteDelayMs(60_000);
    Outcome outcome = run();
    outcome.assertUnavailable("in time", KEY);
    assertThat(fake.requests()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Wire.class)
  void noRetriesWhenTheyAreTurnedOff(Wire wire) throws Exception {
    start(wire, Map.of("LLM_RETRIES", "0"));
    fake.failFirst(1, 503);
    Outcome outcome = run();
    outcome.assertUnavailable("HTTP 503", KEY);
    assertThat(fake.requests()).hasSize(1);
  }
}
