package io.chorus.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.llm.provider.ChatProvider;
import io.chorus.llm.provider.DemoProvider;
import io.chorus.llm.provider.OpenAiProvider;
import io.chorus.llm.provider.RetryingProvider;
import io.chorus.model.Env;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LlmConfigTest {
  @Test
  void defaultsToTheDemoProvider() {
    LlmConfig config = LlmConfig.from(new Env(Map.of()));
    assertThat(config.isDemo()).isTrue();
    assertThat(config.baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(config.model()).as("the model the demo's answers are stored with, as ai_thinking says").isEqualTo("demo");
    assertThat(config.contextMessages()).isEqualTo(20);
    assertThat(config.contextChars()).isEqualTo(16_000);
    assertThat(config.connectTimeoutMs()).isEqualTo(5_000);
    assertThat(config.idleTimeoutMs()).isEqualTo(60_000);
    assertThat(config.demoDelayMs()).isEqualTo(30);
    assertThat(config.systemPrompt()).isNotBlank();
    assertThat(config.maxTokens()).isEqualTo(1024);
    assertThat(config.retries()).isEqualTo(2);
    assertThat(config.retryBackoffMs()).isEqualTo(250);
    assertThat(config.maxStreams()).isEqualTo(4096);
    assertThat(config.queueSize()).isEqualTo(1024);
    assertThat(config.limits()).isEqualTo(new ProviderLimiter.Limits(1024, 0, 0));
    assertThat(config.chunkWindowMs()).isEqualTo(30);
  }

  @Test
  void readsAnthropicWithItsOwnDefaults() {
    LlmConfig config = LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "Anthropic", "LLM_API_KEY", "sk-ant-x")));
    assertThat(config.provider()).isEqualTo(LlmConfig.ANTHROPIC);
    assertThat(config.isDemo()).isFalse();
    assertThat(config.baseUrl()).isEqualTo("https://api.anthropic.com/v1");
    assertThat(config.model()).isEqualTo("claude-haiku-4-5");
    assertThat(config.apiKey()).isEqualTo("sk-ant-x");
  }

  @Test
  void anthropicWithoutAKeyFailsNamingTheKey() {
    assertThatThrownBy(() -> LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "anthropic",
        "LLM_BASE_URL", "http://127.0.0.1:9/v1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LLM_API_KEY");
  }

  @Test
  void readsTheStreamingAndRetrySettings() {
    LlmConfig config = LlmConfig.from(new Env(Map.of("LLM_MAX_TOKENS", "4096", "LLM_RETRIES", "0",
        "LLM_RETRY_BACKOFF_MS", "1000", "LLM_MAX_STREAMS", "8", "LLM_QUEUE", "0", "LLM_CHUNK_WINDOW_MS", "0")));
    assertThat(config.maxTokens()).isEqualTo(4096);
    assertThat(config.retries()).isZero();
    assertThat(config.retryBackoffMs()).isEqualTo(1000);
    assertThat(config.maxStreams()).isEqualTo(8);
    assertThat(config.queueSize()).isZero();
    assertThat(config.chunkWindowMs()).isZero(); // coalescing off
  }

  @Test
  void readsTheProvidersLimits() {
    LlmConfig config = LlmConfig.from(new Env(Map.of("LLM_CONCURRENT_REQUESTS", "50",
        "LLM_REQUESTS_PER_MINUTE", "500", "LLM_TOKENS_PER_MINUTE", "200000")));
    assertThat(config.limits()).isEqualTo(new ProviderLimiter.Limits(50, 500, 200_000));
    assertThat(config.served().get(0).settings().limits()).isEqualTo(config.limits());
    assertThatThrownBy(() -> LlmConfig.from(new Env(Map.of("LLM_CONCURRENT_REQUESTS", "0"))))
        .hasMessageContaining("LLM_CONCURRENT_REQUESTS");
    assertThatThrownBy(() -> LlmConfig.from(new Env(Map.of("LLM_TOKENS_PER_MINUTE", "-1"))))
        .hasMessageContaining("LLM_TOKENS_PER_MINUTE");
  }

  @Test
  void badStreamingAndRetrySettingsNameTheirVariable() {
    Map<String, String> bad = Map.of("LLM_MAX_TOKENS", "0", "LLM_RETRIES", "-1", "LLM_RETRY_BACKOFF_MS", "soon",
        "LLM_MAX_STREAMS", "0", "LLM_QUEUE", "-5", "LLM_CHUNK_WINDOW_MS", "-1");
    bad.forEach((key, value) -> assertThatThrownBy(() -> LlmConfig.from(new Env(Map.of(key, value))))
        .as(key)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key));
  }

  @Test
  void readsAnOpenAiCompatibleServer() {
    LlmConfig config = LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "OpenAI",
        "LLM_BASE_URL", "http://localhost:11434/v1/", "LLM_MODEL", "llama3.2", "LLM_CONTEXT_MESSAGES", "5")));
    assertThat(config.isDemo()).isFalse();
    assertThat(config.baseUrl()).isEqualTo("http://localhost:11434/v1");
    assertThat(config.model()).isEqualTo("llama3.2");
    assertThat(config.contextMessages()).isEqualTo(5);
    assertThat(config.apiKey()).isNull();
  }

  @Test
  void badValuesNameTheirVariable() {
    assertThatThrownBy(() -> LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "gemini"))))
        .hasMessageContaining("LLM_PROVIDER").hasMessageContaining("demo|openai|anthropic");
    assertThatThrownBy(() -> LlmConfig.from(new Env(Map.of("LLM_BASE_URL", "localhost:11434"))))
        .hasMessageContaining("LLM_BASE_URL");
    assertThatThrownBy(() -> LlmConfig.from(new Env(Map.of("LLM_CONTEXT_CHARS", "lots"))))
        .hasMessageContaining("LLM_CONTEXT_CHARS");
    assertThatThrownBy(() -> LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "openai"))))
        .hasMessageContaining("LLM_API_KEY");
  }

  @Test
  void openAiDefaultsToItsModel() {
    LlmConfig config = LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "openai", "LLM_API_KEY", "sk-x")));
    assertThat(config.model()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void toStringNeverShowsTheKey() {
    LlmConfig config = LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "openai", "LLM_API_KEY", "sk-very-secret")));
    assertThat(config.toString()).doesNotContain("sk-very-secret").contains("apiKey=set");
    LlmConfig anthropic =
        LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "anthropic", "LLM_API_KEY", "sk-ant-very-secret")));
    assertThat(anthropic.toString()).doesNotContain("sk-ant-very-secret").contains("apiKey=set");
  }

  @Test
  void theWorkerBuildsTheConfiguredProviderWithRetries() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ChatProvider anthropic = LlmVerticle.createProvider(vertx,
          LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "anthropic", "LLM_API_KEY", "sk-ant-very-secret"))));
      assertThat(anthropic).isInstanceOf(RetryingProvider.class);
      assertThat(anthropic.describe()).startsWith("anthropic(").contains("2 retries").doesNotContain("sk-ant");
      anthropic.close().await(10, TimeUnit.SECONDS);

      ChatProvider openAi = LlmVerticle.createProvider(vertx, LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "openai",
          "LLM_BASE_URL", "http://127.0.0.1:11434/v1", "LLM_RETRIES", "0"))));
      assertThat(openAi).isInstanceOf(OpenAiProvider.class);
      openAi.close().await(10, TimeUnit.SECONDS);

      assertThat(LlmVerticle.createProvider(vertx, LlmConfig.from(new Env(Map.of()))))
          .isInstanceOf(DemoProvider.class);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
