package io.chorus.llm.provider;

import io.chorus.llm.LlmConfig;
import io.chorus.llm.testing.FakeSseServer;
import io.chorus.model.Env;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
}
