package io.chorus.model.assistants;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * One assistant the operator declared ({@code ASSISTANTS_FILE}), or the {@code default} one built from the
 * {@code LLM_*} variables. The key is never here: {@code apiKeyEnv} names the environment variable that holds
 * it, read only by the LLM workers that serve the profile. Optional values are null when the file leaves them
 * out; the worker then uses its {@code LLM_*} settings or the provider's defaults.
 *
 * @param id stable, used in addresses ({@code llm.assistant.<id>.start}) and metric labels: {@code [a-z0-9_-]}
 * @param name what members see ("Visa expert")
 * @param provider {@code openai} (any OpenAI-compatible server), {@code anthropic} or {@code demo}
 * @param model the model asked for; never null (the provider's default when the file leaves it out)
 */
public record AssistantProfile(
    String id,
    String name,
    String description,
    String provider,
    String baseUrl,
    String model,
    String apiKeyEnv,
    String systemPrompt,
    Double temperature,
    Integer maxTokens,
    Integer contextMessages,
    Integer concurrentRequests,
    Integer requestsPerMinute,
    Integer tokensPerMinute) {

  public static final String DEMO = "demo";
  public static final String OPENAI = "openai";
  public static final String ANTHROPIC = "anthropic";
  /** The id of the profile built from {@code LLM_*} when there is no {@code ASSISTANTS_FILE}. */
  public static final String DEFAULT_ID = "default";

  /** The model a provider gets when a profile names none (as the LLM worker's own defaults). */
  public static String defaultModel(String provider) {
    return switch (provider.toLowerCase(Locale.ROOT)) {
      case ANTHROPIC -> "claude-haiku-4-5";
      case DEMO -> "demo";
      default -> "gpt-4o-mini";
    };
  }

  /** What anyone may see: no base URL (it may carry credentials), no key variable, no prompt. */
  public JsonObject publicJson() {
    JsonObject json = new JsonObject().put("id", id).put("name", name);
    if (description != null) {
      json.put("description", description);
    }
    return json.put("model", model).put("provider", provider);
  }

  @Override
  public String toString() {
    return "AssistantProfile[id=" + id + ", name=" + name + ", provider=" + provider + ", model=" + model
        + ", apiKeyEnv=" + apiKeyEnv + "]";
  }
}
