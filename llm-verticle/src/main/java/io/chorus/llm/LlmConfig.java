package io.chorus.llm;

import io.chorus.model.Env;
import io.chorus.model.assistants.AssistantCatalog;
import io.chorus.model.assistants.AssistantProfile;
import io.chorus.model.storage.HistoryQuery;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The LLM worker's settings, read once from {@code LLM_*} variables; a bad value stops start-up with a
 * message naming the variable. {@link #toString()} never shows the API key.
 *
 * @param provider {@code demo} (offline, the default), {@code openai} (any OpenAI-compatible server) or
 *     {@code anthropic} (the Anthropic Messages API)
 * @param baseUrl the API root including {@code /v1}, without a trailing slash
 * @param apiKey sent as a bearer token (openai) or {@code x-api-key} (anthropic) when set; null otherwise
 * @param contextMessages how many of the latest stored messages are read as context
 * @param contextChars the most characters of history sent to the model (the system prompt not counted)
 * @param streamTimeoutMs the longest an answer may take in total, even if bytes keep arriving
 * @param maxTokens the longest answer in tokens ({@code max_tokens}; sent to Anthropic, which requires it)
 * @param retries how many times a request that failed before its first token is tried again
 * @param retryBackoffMs the wait before the first retry; it doubles for each further one, with jitter
 * @param maxStreams how many answers one worker streams at once, all its profiles together: a cap on the
 *     worker's own sockets and memory, far above what a provider allows one key
 * @param queueSize how many further answers wait on one worker (for a free stream, or for their profile's
 *     provider limits); beyond that: 503
 * @param limits what the provider allows this profile's key: requests at once, requests and tokens per minute
 * @param chunkWindowMs deltas arriving within this window go out as one chunk; 0 sends each at once
 * @param drainMs on shutdown, how long running answers may go on before they are ended with an error
 * @param temperature sent to the model when set (a profile's {@code temperature}); null leaves the provider's
 * @param assistants every profile of the deployment ({@code ASSISTANTS_FILE}, or one from these variables);
 *     null in a profile's own settings
 * @param served the profiles this worker answers for ({@code LLM_ASSISTANTS}, default all), each with the
 *     settings its answers use; empty in a profile's own settings
 */
public record LlmConfig(
    String provider,
    String baseUrl,
    String apiKey,
    String model,
    String systemPrompt,
    int contextMessages,
    int contextChars,
    long connectTimeoutMs,
    long idleTimeoutMs,
    long streamTimeoutMs,
    long demoDelayMs,
    int maxTokens,
    int retries,
    long retryBackoffMs,
    int maxStreams,
    int queueSize,
    ProviderLimiter.Limits limits,
    long chunkWindowMs,
    long drainMs,
    Double temperature,
    AssistantCatalog assistants,
    List<ServedAssistant> served) {

  /** A profile this worker serves and the settings its answers use (provider, key, model, prompt, window). */
  public record ServedAssistant(AssistantProfile profile, LlmConfig settings) {}

  public static final String DEMO = "demo";
  public static final String OPENAI = "openai";
  public static final String ANTHROPIC = "anthropic";
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";
  /** A worker's own cap: far above any provider's concurrency per key, so the profiles' limits decide. */
  public static final int DEFAULT_MAX_STREAMS = 4096;
  public static final int DEFAULT_QUEUE = 1024;
  public static final String DEFAULT_SYSTEM_PROMPT =
      "You are the assistant in Chorus, a group chat. Several people may talk in one conversation; "
          + "answer the latest message helpfully and concisely, using the earlier messages as context.";

  public static LlmConfig from(Env env) {
    String provider = env.string("LLM_PROVIDER", DEMO).toLowerCase(Locale.ROOT);
    if (!provider.equals(DEMO) && !provider.equals(OPENAI) && !provider.equals(ANTHROPIC)) {
      throw new IllegalArgumentException(
          "LLM_PROVIDER must be one of demo|openai|anthropic, got '" + provider + "'");
    }
    boolean anthropic = provider.equals(ANTHROPIC);
    String baseUrl = baseUrl(env.string("LLM_BASE_URL", anthropic ? ANTHROPIC_BASE_URL : DEFAULT_BASE_URL));
    String apiKey = env.string("LLM_API_KEY", null);
    // Every request would fail with 401; say so now rather than in each conversation.
    if (anthropic && apiKey == null) {
      throw new IllegalArgumentException("LLM_API_KEY is required when LLM_PROVIDER is anthropic");
    }
    if (provider.equals(OPENAI) && apiKey == null && URI.create(baseUrl).getHost().endsWith("api.openai.com")) {
      throw new IllegalArgumentException("LLM_API_KEY is required when LLM_BASE_URL is " + baseUrl);
    }
    LlmConfig base = new LlmConfig(
        provider,
        baseUrl,
        apiKey,
        // The profile's default too: the model the room is told in ai_thinking is the one the answer is stored with.
        env.string("LLM_MODEL", AssistantProfile.defaultModel(provider)),
        env.string("LLM_SYSTEM_PROMPT", DEFAULT_SYSTEM_PROMPT),
        env.integer("LLM_CONTEXT_MESSAGES", 20, 1, HistoryQuery.MAX_LIMIT),
        env.integer("LLM_CONTEXT_CHARS", 16_000, 100, 10_000_000),
        env.longValue("LLM_CONNECT_TIMEOUT_MS", 5_000, 1, 600_000),
        env.longValue("LLM_IDLE_TIMEOUT_MS", 60_000, 1, 3_600_000),
        env.longValue("LLM_STREAM_TIMEOUT_MS", 600_000, 1, 86_400_000),
        env.longValue("LLM_DEMO_DELAY_MS", 30, 0, 60_000),
        env.integer("LLM_MAX_TOKENS", 1024, 1, 1_000_000),
        env.integer("LLM_RETRIES", 2, 0, 10),
        env.longValue("LLM_RETRY_BACKOFF_MS", 250, 0, 60_000),
        env.integer("LLM_MAX_STREAMS", DEFAULT_MAX_STREAMS, 1, 100_000),
        env.integer("LLM_QUEUE", DEFAULT_QUEUE, 0, 1_000_000),
        new ProviderLimiter.Limits(
            env.integer("LLM_CONCURRENT_REQUESTS", ProviderLimiter.Limits.DEFAULT_CONCURRENT_REQUESTS, 1, 100_000),
            env.integer("LLM_REQUESTS_PER_MINUTE", 0, 0, 100_000_000),
            env.integer("LLM_TOKENS_PER_MINUTE", 0, 0, 2_000_000_000)),
        env.longValue("LLM_CHUNK_WINDOW_MS", 30, 0, 1_000),
        env.longValue("LLM_DRAIN_MS", 20_000, 0, 600_000),
        null, null, List.of());
    AssistantCatalog assistants = AssistantCatalog.read(env);
    boolean fromFile = env.string("ASSISTANTS_FILE", null) != null;
    List<ServedAssistant> served = new ArrayList<>();
    for (String id : servedIds(env.string("LLM_ASSISTANTS", null), assistants)) {
      AssistantProfile profile = assistants.find(id);
      // Without a file the one profile is these very variables: nothing changes for existing setups.
      served.add(new ServedAssistant(profile, fromFile ? base.forProfile(profile, env) : base));
    }
    return base.withAssistants(assistants, List.copyOf(served));
  }

  /** {@code LLM_ASSISTANTS}: profile ids separated by commas; unset (or {@code *}) is every profile. */
  private static Set<String> servedIds(String value, AssistantCatalog assistants) {
    if (value == null || value.equals("*")) {
      return assistants.ids();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String id = part.strip();
      if (id.isEmpty()) {
        continue;
      }
      if (assistants.find(id) == null) {
        throw new IllegalArgumentException("LLM_ASSISTANTS names '" + id + "', which is not an assistant profile"
            + " (the profiles are " + assistants.ids() + ")");
      }
      ids.add(id);
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("LLM_ASSISTANTS names no assistant profile, got '" + value + "'");
    }
    return ids;
  }

  /**
   * A file profile's settings: its provider, URL, model, prompt, key (from the variable it names) and
   * window, the provider's defaults where it says nothing, and this worker's timeouts, retries and limits.
   */
  private LlmConfig forProfile(AssistantProfile profile, Env env) {
    String where = "assistant profile '" + profile.id() + "'";
    boolean anthropic = profile.provider().equals(ANTHROPIC);
    String url;
    try {
      url = baseUrl(profile.baseUrl() != null ? profile.baseUrl() : anthropic ? ANTHROPIC_BASE_URL : DEFAULT_BASE_URL);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " field 'baseUrl': " + e.getMessage());
    }
    String key = profile.apiKeyEnv() == null ? null : env.string(profile.apiKeyEnv(), null);
    boolean needsKey = anthropic
        || profile.provider().equals(OPENAI) && URI.create(url).getHost().endsWith("api.openai.com");
    if (needsKey && key == null) {
      throw new IllegalArgumentException(where + " needs an API key: set the variable its field 'apiKeyEnv' names"
          + (profile.apiKeyEnv() == null ? " (it names none)" : " (" + profile.apiKeyEnv() + ", unset)")
          + ", or leave the profile out of LLM_ASSISTANTS on this worker");
    }
    return new LlmConfig(profile.provider(), url, key, profile.model(),
        profile.systemPrompt() != null ? profile.systemPrompt() : systemPrompt,
        profile.contextMessages() != null ? profile.contextMessages() : contextMessages, contextChars,
        connectTimeoutMs, idleTimeoutMs, streamTimeoutMs, demoDelayMs,
        profile.maxTokens() != null ? profile.maxTokens() : maxTokens, retries, retryBackoffMs, maxStreams,
        queueSize, new ProviderLimiter.Limits(
            profile.concurrentRequests() != null ? profile.concurrentRequests() : limits.concurrentRequests(),
            profile.requestsPerMinute() != null ? profile.requestsPerMinute() : limits.requestsPerMinute(),
            profile.tokensPerMinute() != null ? profile.tokensPerMinute() : limits.tokensPerMinute()),
        chunkWindowMs, drainMs, profile.temperature(), null, List.of());
  }

  private LlmConfig withAssistants(AssistantCatalog catalog, List<ServedAssistant> servedAssistants) {
    return new LlmConfig(provider, baseUrl, apiKey, model, systemPrompt, contextMessages, contextChars,
        connectTimeoutMs, idleTimeoutMs, streamTimeoutMs, demoDelayMs, maxTokens, retries, retryBackoffMs,
        maxStreams, queueSize, limits, chunkWindowMs, drainMs, temperature, catalog, servedAssistants);
  }

  public boolean isDemo() {
    return DEMO.equals(provider);
  }

  private static String baseUrl(String value) {
    String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    try {
      URI uri = URI.create(trimmed);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return trimmed;
      }
    } catch (IllegalArgumentException e) {
      // reported below with the variable's name
    }
    throw new IllegalArgumentException("LLM_BASE_URL must be an http(s) URL such as " + DEFAULT_BASE_URL
        + ", got '" + value + "'");
  }

  @Override
  public String toString() {
    return "LlmConfig[provider=" + provider + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "unset" : "set")
        + ", model=" + model + ", contextMessages=" + contextMessages + ", contextChars=" + contextChars
        + ", connectTimeoutMs=" + connectTimeoutMs + ", idleTimeoutMs=" + idleTimeoutMs
        + ", streamTimeoutMs=" + streamTimeoutMs + ", demoDelayMs=" + demoDelayMs + ", maxTokens=" + maxTokens
        + ", retries=" + retries + ", retryBackoffMs=" + retryBackoffMs + ", maxStreams=" + maxStreams
        + ", queueSize=" + queueSize + ", limits=" + limits + ", chunkWindowMs=" + chunkWindowMs + ", drainMs=" + drainMs
        + (temperature == null ? "" : ", temperature=" + temperature)
        + (served.isEmpty() ? "" : ", serves=" + served.stream().map(s -> s.profile().id()).toList()) + "]";
  }
}
