package io.chorus.llm.provider;

import io.chorus.llm.LlmConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * What the HTTP providers ({@link OpenAiProvider}, {@link AnthropicProvider}) share: one pooled core
 * {@code HttpClient} with the configured connect timeout, the streaming request (POST, JSON in,
 * {@code text/event-stream} out, idle timeout until the headers), and masking of the key in logged text.
 * The core client rather than the WebClient, because only the core client hands out the request, which
 * {@link ChatProvider.Handle#cancel()} resets.
 */
abstract class HttpChatProvider implements ChatProvider {
  protected final Vertx vertx;
  protected final LlmConfig config;
  private final HttpClientAgent http;

  HttpChatProvider(Vertx vertx, LlmConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.http = vertx.createHttpClient(
        new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMs()))
            .setKeepAlive(true),
        // Answers are long-lived streams, one connection each: the default pool of 5 would queue the sixth
        // answer. As many as the profile's key may have at once (the worker holds the rest back itself).
        new PoolOptions().setHttp1MaxSize(config.limits().concurrentRequests()));
  }

  /** The request for {@code url} with the JSON and event-stream headers; callers add their auth headers. */
  protected final RequestOptions streamingRequest(String url) {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url)
        .setConnectTimeout(config.connectTimeoutMs())
        // Until the response headers arrive; SseStream watches the body with the same limit.
        .setIdleTimeout(config.idleTimeoutMs())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, "text/event-stream");
  }

  /** Sends {@code body} and lets {@code stream} read the answer; the stream is the caller's handle. */
  protected final Handle send(RequestOptions options, Buffer body, SseStream stream) {
    stream.start(http.request(options), body);
    return stream;
  }

  @Override
  public Future<Void> close() {
    return http.close();
  }

  /** Text from the provider (error bodies, exception messages) goes to logs only with the key masked. */
  protected final String redact(String text) {
    if (text == null) {
      return null;
    }
    String key = config.apiKey();
    return key == null || key.length() < 4 ? text : text.replace(key, "***");
  }
}
