package io.chorus.model.assistants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.ChorusException;
import io.chorus.model.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssistantCatalogTest {
  private static final String TWO = """
      [{"id":"general","name":"General","description":"Everyday questions","provider":"openai",
        "baseUrl":"http://127.0.0.1:9/v1","model":"m-1","apiKeyEnv":"OPENAI_API_KEY","systemPrompt":"Be brief.",
        "temperature":0.7,"maxTokens":1024,"contextMessages":20},
       {"id":"visa","name":"Visa expert","provider":"anthropic","systemPrompt":"You are a visa expert."}]""";

  @Test
  void readsProfilesInTheFilesOrderWithTheProvidersDefaults() {
    AssistantCatalog catalog = AssistantCatalog.parse(TWO, false, "test");
    assertThat(catalog.ids()).containsExactly("general", "visa");
    AssistantProfile general = catalog.first();
    assertThat(general.model()).isEqualTo("m-1");
    assertThat(general.temperature()).isEqualTo(0.7);
    assertThat(general.maxTokens()).isEqualTo(1024);
    assertThat(general.contextMessages()).isEqualTo(20);
    assertThat(general.apiKeyEnv()).isEqualTo("OPENAI_API_KEY");
    AssistantProfile visa = catalog.find("visa");
    assertThat(visa.model()).as("the provider's default model").isEqualTo("claude-haiku-4-5");
    assertThat(visa.baseUrl()).isNull();
    assertThat(catalog.find(null)).as("a conversation without an assistant gets the first").isSameAs(general);
    assertThat(catalog.find("gone")).isNull();
  }

  @Test
  void theListingShowsNoBaseUrlKeyVariableOrPrompt() {
    AssistantProfile general = AssistantCatalog.parse(TWO, false, "test").first();
    assertThat(general.publicJson().fieldNames())
        .containsExactlyInAnyOrder("id", "name", "description", "model", "provider");
  }

  @Test
  void readsTheSameFromYamlAndFromAnObjectWithAnAssistantsList() {
    String yaml = """
        assistants:
          - id: general
            name: General
            provider: demo
          - id: visa
            name: Visa expert
            provider: openai
            model: gemini-2.5-flash
            temperature: 1
        """;
    AssistantCatalog catalog = AssistantCatalog.parse(yaml, true, "test");
    assertThat(catalog.ids()).containsExactly("general", "visa");
    assertThat(catalog.find("visa").temperature()).isEqualTo(1.0);
    assertThat(AssistantCatalog.parse("{\"assistants\":" + TWO + "}", false, "test").ids())
        .containsExactly("general", "visa");
  }

  @Test
  void withoutAFileOneDefaultProfileComesFromTheLlmVariables() {
    AssistantCatalog catalog = AssistantCatalog.read(new Env(Map.of("LLM_PROVIDER", "openai", "LLM_MODEL", "m-x")));
    assertThat(catalog.ids()).containsExactly("default");
    assertThat(catalog.first().provider()).isEqualTo("openai");
    assertThat(catalog.first().model()).isEqualTo("m-x");
    assertThat(catalog.first().apiKeyEnv()).isEqualTo("LLM_API_KEY");
    assertThat(AssistantCatalog.read(new Env(Map.of())).first().provider()).isEqualTo("demo");
  }

  @Test
  void readsTheFileNamedByAssistantsFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("assistants.yml");
    Files.writeString(file, "- {id: a, name: A, provider: demo}\n");
    assertThat(AssistantCatalog.read(new Env(Map.of("ASSISTANTS_FILE", file.toString()))).ids()).containsExactly("a");
    assertThatThrownBy(() -> AssistantCatalog.read(new Env(Map.of("ASSISTANTS_FILE", dir.resolve("no").toString()))))
        .hasMessageContaining("ASSISTANTS_FILE").hasMessageContaining("cannot be read");
  }

  @Test
  void aBadFileNamesTheProfileAndTheField() {
    assertError("[{\"id\":\"a\",\"name\":\"A\",\"provider\":\"gpt\"}]", "profile 'a' field 'provider'");
    assertError("[{\"id\":\"a\",\"name\":\"A\",\"provider\":\"demo\",\"temperature\":3}]",
        "profile 'a' field 'temperature'");
    assertError("[{\"id\":\"a\",\"name\":\"A\",\"provider\":\"demo\",\"maxTokens\":1.5}]",
        "profile 'a' field 'maxTokens'");
    assertError("[{\"id\":\"a\",\"name\":\"A\",\"provider\":\"demo\",\"contextMessages\":0}]",
        "profile 'a' field 'contextMessages'");
    assertError("[{\"id\":\"a\",\"provider\":\"demo\"}]", "profile 'a' field 'name': is required");
    assertError("[{\"id\":\"a\",\"name\":\"A\",\"provider\":\"openai\",\"baseUrl\":\"ftp://x\"}]",
        "profile 'a' field 'baseUrl'");
    assertError("[{\"id\":\"a\",\"name\":\"A\",\"provider\":\"openai\",\"apiKey\":\"sk-secret\"}]",
        "profile 'a' field 'apiKey': keys are never written in the file");
    assertError("[{\"id\":\"a\",\"name\":\"A\",\"provider\":\"openai\",\"modle\":\"x\"}]",
        "profile 'a' field 'modle': unknown field");
    assertError("[{\"id\":\"a\",\"name\":\"A\",\"provider\":\"openai\",\"apiKeyEnv\":\"not a name\"}]",
        "profile 'a' field 'apiKeyEnv'");
    assertError("[{\"id\":\"Has Space\",\"name\":\"A\",\"provider\":\"demo\"}]", "profile #1 field 'id'");
    assertError("[{\"id\":\"a\",\"name\":\"A\",\"provider\":\"demo\"},{\"id\":\"a\",\"name\":\"B\",\"provider\":\"demo\"}]",
        "profile 'a' is listed twice");
    assertError("[]", "lists no assistant profile");
    assertError("{\"general\":{}}", "must hold a list");
    assertError("[{\"id\":", "is not valid JSON");
  }

  @Test
  void anUnknownChoiceIsABadRequestNamingIt() {
    AssistantCatalog catalog = AssistantCatalog.parse(TWO, false, "test");
    assertThatThrownBy(() -> catalog.require("nope")).isInstanceOf(ChorusException.class)
        .hasMessageContaining("'nope'")
        .satisfies(e -> assertThat(((ChorusException) e).code().code()).isEqualTo(400));
  }

  private static void assertError(String text, String expected) {
    assertThatThrownBy(() -> AssistantCatalog.parse(text, false, "ASSISTANTS_FILE x.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ASSISTANTS_FILE x.json")
        .hasMessageContaining(expected);
  }
}
