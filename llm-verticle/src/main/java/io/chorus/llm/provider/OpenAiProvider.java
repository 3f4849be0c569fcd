package io.chorus.llm.provider;

import io.chorus.llm.LlmConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Streams answers from any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM,
 * llama.cpp): {@code POST {LLM_BASE_URL}/chat/completions} with {@code stream:true}, the key as a bearer
 * token when set, read as server-sent events by {@link OpenAiStream}.
 */
public final class OpenAiProvider extends HttpChatProvider {
  private final String url;

  public OpenAiProvider(Vertx vertx, LlmConfig config) {
    super(vertx, config);
    this.url = config.baseUrl() + "/chat/completions";
  }

  @Override
  public Handle stream(List<ChatTurn> turns, Listener listener) {
    RequestOptions options = streamingRequest(url);
    if (config.apiKey() != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + config.apiKey());
    }
    OpenAiStream stream =
        new OpenAiStream(vertx, listener, config.streamTimeoutMs(), config.idleTimeoutMs(), this::redact);
    return send(options, requestBody(turns).toBuffer(), stream);
  }

  /** The chat-completions body; {@code include_usage} asks for a final chunk with the token counts. */
  JsonObject requestBody(List<ChatTurn> turns) {
    JsonArray messages = new JsonArray();
    turns.forEach(turn -> messages.add(turn.toOpenAi()));
    JsonObject body = new JsonObject()
        .put("model", config.model())
        .put("messages", messages)
        .put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true));
    return config.temperature() == null ? body : body.put("temperature", config.temperature());
  }

  @Override
  public String describe() {
    return "openai(" + config.model() + " @ " + config.baseUrl() + ", key " + (config.apiKey() == null ? "unset" : "set")
        + ")";
  }
}
