package io.chorus.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.llm.Await;
import io.chorus.llm.LlmConfig;
import io.chorus.llm.testing.FakeSseServer;
import io.chorus.model.Env;
import io.chorus.model.storage.Usage;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the provider ITs share: one Vert.x per class, the fake server and the provider under test of each
 * test (closed after it), and the configuration that points a provider at the fake.
 */
abstract class FakeServerIT<F extends FakeSseServer, P extends ChatProvider> {
  static final List<ChatTurn> TURNS = List.of(ChatTurn.system("Be brief."), ChatTurn.user("Hello?"));

  static Vertx vertx;
  F fake;
  P provider;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeFakeAndProvider() throws Exception {
    if (provider != null) {
      provider.close().await(10, TimeUnit.SECONDS);
    }
    if (fake != null) {
      fake.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A provider of {@code kind} with {@code key} and {@code model}, pointed at the fake; {@code extra} on top. */
  LlmConfig config(String kind, String key, String model, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("LLM_PROVIDER", kind, "LLM_BASE_URL", fake.baseUrl(),
        "LLM_API_KEY", key, "LLM_MODEL", model));
    env.putAll(extra);
    return LlmConfig.from(new Env(env));
  }

  /** Cancel from inside the first onDelta: the fake sees the request aborted, and nothing more is called. */
  void cancellingOnTheFirstDeltaAbortsTheRequestAndStopsTheCallbacks() throws Exception {
    fake.answerWith(IntStream.range(0, 200).mapToObj(i -> "w" + i + " ").toList(), 20);
    List<String> deltas = new CopyOnWriteArrayList<>();
    List<String> terminal = new CopyOnWriteArrayList<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      ChatProvider.Handle[] handle = new ChatProvider.Handle[1];
      handle[0] = provider.stream(TURNS, new ChatProvider.Listener() {
        @Override
        public void onDelta(String delta) {
          deltas.add(delta);
          handle[0].cancel();
        }

        @Override
        public void onEnd(String finishReason, Usage usage) {
          terminal.add("end");
        }

        @Override
        public void onError(Throwable error) {
          terminal.add("error " + error);
        }
      });
    });

    Await.until(vertx, () -> fake.abortedStreams() == 1).await(10, TimeUnit.SECONDS);
    assertThat(deltas).containsExactly("w0 ");
    assertThat(terminal).isEmpty();
  }
}
