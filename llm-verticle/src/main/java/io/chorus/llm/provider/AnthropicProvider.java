package io.chorus.llm.provider;

import io.chorus.llm.LlmConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Streams answers from the Anthropic Messages API ({@code LLM_PROVIDER=anthropic}):
 * {@code POST {LLM_BASE_URL}/messages} with {@code stream:true}, {@code x-api-key} and
 * {@code anthropic-version} headers, the context shaped by {@link AnthropicMessages} (system prompt
 * top-level, alternating roles) and {@code max_tokens} from {@code LLM_MAX_TOKENS}; the events are read
 * by {@link AnthropicStream}.
 */
public final class AnthropicProvider extends HttpChatProvider {
  public static final String API_VERSION = "2023-06-01";

  private final String url;

  public AnthropicProvider(Vertx vertx, LlmConfig config) {
    super(vertx, config);
    this.url = config.baseUrl() + "/messages";
  }

  @Override
  public Handle stream(List<ChatTurn> turns, Listener listener) {
    RequestOptions options = streamingRequest(url).putHeader("anthropic-version", API_VERSION);
    if (config.apiKey() != null) {
      options.putHeader("x-api-key", config.apiKey());
    }
    AnthropicStream stream =
        new AnthropicStream(vertx, listener, config.streamTimeoutMs(), config.idleTimeoutMs(), this::redact);
    return send(options, requestBody(turns).toBuffer(), stream);
  }

  /** The Messages API body. */
  JsonObject requestBody(List<ChatTurn> turns) {
    AnthropicMessages shaped = AnthropicMessages.of(turns);
    JsonObject body = new JsonObject()
        .put("model", config.model())
        .put("max_tokens", config.maxTokens());
    if (shaped.system() != null) {
      body.put("system", shaped.system());
    }
    if (config.temperature() != null) {
      body.put("temperature", config.temperature());
    }
    return body.put("messages", shaped.messagesJson()).put("stream", true);
  }

  @Override
  public String describe() {
    return "anthropic(" + config.model() + " @ " + config.baseUrl() + ", key "
        + (config.apiKey() == null ? "unset" : "set") + ", max_tokens " + config.maxTokens() + ")";
  }
}
