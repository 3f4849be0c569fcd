package io.chorus.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which assistant profiles a worker serves ({@code LLM_ASSISTANTS}) and with which settings. */
class LlmAssistantsConfigTest {
  private static final String FILE = """
      [{"id":"general","name":"General","provider":"openai","baseUrl":"http://127.0.0.1:9/v1","model":"small",
        "apiKeyEnv":"GENERAL_KEY"},
       {"id":"visa","name":"Visa expert","provider":"anthropic","model":"big","apiKeyEnv":"VISA_KEY",
        "systemPrompt":"You are a visa expert.","temperature":0.2,"maxTokens":4000,"contextMessages":8,
        "concurrentRequests":50,"requestsPerMinute":1000,"tokensPerMinute":80000}]""";

  @TempDir
  Path dir;

  @Test
  void withoutAFileTheOneDefaultProfileIsTheLlmVariables() {
    LlmConfig config = LlmConfig.from(new Env(Map.of("LLM_PROVIDER", "openai", "LLM_API_KEY", "k",
        "LLM_MODEL", "m")));
    assertThat(config.served()).hasSize(1);
    assertThat(config.served().get(0).profile().id()).isEqualTo("default");
    LlmConfig settings = config.served().get(0).settings();
    assertThat(settings.model()).isEqualTo("m");
    assertThat(settings.apiKey()).isEqualTo("k");
    assertThat(settings.systemPrompt()).isEqualTo(LlmConfig.DEFAULT_SYSTEM_PROMPT);
  }

  @Test
  void eachProfileGetsItsProviderModelPromptWindowAndTheKeyFromTheVariableItNames() throws IOException {
    LlmConfig config = LlmConfig.from(env(Map.of("GENERAL_KEY", "g-key", "VISA_KEY", "v-key",
        "LLM_CONTEXT_MESSAGES", "30", "LLM_REQUESTS_PER_MINUTE", "600")));
    assertThat(config.served()).extracting(s -> s.profile().id()).containsExactly("general", "visa");
    LlmConfig general = config.served().get(0).settings();
    assertThat(general.provider()).isEqualTo("openai");
    assertThat(general.baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
    assertThat(general.apiKey()).isEqualTo("g-key");
    assertThat(general.model()).isEqualTo("small");
    assertThat(general.contextMessages()).as("LLM_CONTEXT_MESSAGES where the profile says nothing").isEqualTo(30);
    assertThat(general.temperature()).isNull();
    assertThat(general.limits()).as("the worker's limits where the profile says nothing")
        .isEqualTo(new ProviderLimiter.Limits(1024, 600, 0));
    LlmConfig visa = config.served().get(1).settings();
    assertThat(visa.baseUrl()).isEqualTo(LlmConfig.ANTHROPIC_BASE_URL);
    assertThat(visa.apiKey()).isEqualTo("v-key");
    assertThat(visa.systemPrompt()).isEqualTo("You are a visa expert.");
    assertThat(visa.temperature()).isEqualTo(0.2);
    assertThat(visa.maxTokens()).isEqualTo(4000);
    assertThat(visa.contextMessages()).isEqualTo(8);
    assertThat(visa.limits()).as("what the visa key is allowed").isEqualTo(new ProviderLimiter.Limits(50, 1000, 80_000));
    assertThat(config.toString()).doesNotContain("g-key", "v-key");
  }

  @Test
  void aWorkerServesTheProfilesLlmAssistantsNamesAndNeedsOnlyTheirKeys() throws IOException {
    LlmConfig config = LlmConfig.from(env(Map.of("LLM_ASSISTANTS", " visa ", "VISA_KEY", "v-key")));
    assertThat(config.served()).extracting(s -> s.profile().id()).containsExactly("visa");
    assertThat(config.assistants().ids()).containsExactly("general", "visa");
  }

  @Test
  void anUnknownProfileOrAMissingKeyStopsStartUpNamingIt() throws IOException {
    assertThatThrownBy(() -> LlmConfig.from(env(Map.of("LLM_ASSISTANTS", "visa,tax", "VISA_KEY", "k"))))
        .hasMessageContaining("LLM_ASSISTANTS names 'tax'");
    assertThatThrownBy(() -> LlmConfig.from(env(Map.of("LLM_ASSISTANTS", "visa"))))
        .hasMessageContaining("assistant profile 'visa' needs an API key").hasMessageContaining("VISA_KEY");
  }

  private Env env(Map<String, String> extra) throws IOException {
    Path file = dir.resolve("assistants.json");
    Files.writeString(file, FILE);
    Map<String, String> values = new HashMap<>(extra);
    values.put("ASSISTANTS_FILE", file.toString());
    return new Env(values);
  }
}
