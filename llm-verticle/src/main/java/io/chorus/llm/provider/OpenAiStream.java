package io.chorus.llm.provider;

import io.chorus.model.storage.Usage;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * One streamed chat completion of {@link OpenAiProvider}: turns the OpenAI chunks into listener calls.
 * {@code choices[0].delta.content} is a delta, {@code choices[0].finish_reason} and {@code usage} are
 * remembered, {@code [DONE]} ends the answer, and an {@code error} payload fails it (retryable when its
 * type is {@code server_error}, the in-stream form of a 500). Transport, timeouts and status handling
 * are {@link SseStream}'s.
 */
final class OpenAiStream extends SseStream {
  private String finishReason;
  private Usage usage;

  OpenAiStream(Vertx vertx, ChatProvider.Listener listener, long streamTimeoutMs, long idleTimeoutMs,
      UnaryOperator<String> redact) {
    super(vertx, listener, streamTimeoutMs, idleTimeoutMs, redact);
  }

  @Override
  protected void onEvent(SseEvent event) {
    String data = event.data().trim();
    if (data.equals("[DONE]")) {
      end(finishReason, usage);
      return;
    }
    JsonObject chunk;
    try {
      chunk = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      malformed("undecodable chunk");
      return;
    }
    if (chunk.getValue("error") != null || "error".equals(event.event())) {
      Object error = chunk.getValue("error", chunk);
      Object detail = error instanceof JsonObject json ? json.getValue("message", json.encode()) : error;
      boolean retryable = error instanceof JsonObject json && "server_error".equals(json.getValue("type"));
      fail(unavailable("the model provider reported an error"), "error event: " + truncate(String.valueOf(detail)),
          retryable);
      return;
    }
    readUsage(chunk.getValue("usage"));
    JsonArray choices = chunk.getValue("choices") instanceof JsonArray array ? array : null;
    if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)) {
      return; // e.g. the usage chunk, whose choices are empty
    }
    if (choice.getValue("delta") instanceof JsonObject delta && delta.getValue("content") instanceof String text) {
      delta(text);
    }
    if (choice.getValue("finish_reason") instanceof String reason) {
      finishReason = reason;
    }
  }

  @Override
  protected void onBodyEnd() {
    if (finishReason != null) {
      end(finishReason, usage); // finished without the [DONE] marker: the answer is complete anyway
    } else {
      closedEarly("no [DONE]");
    }
  }

  private void readUsage(Object value) {
    if (value instanceof JsonObject json && json.getValue("prompt_tokens") instanceof Number prompt
        && json.getValue("completion_tokens") instanceof Number completion) {
      usage = new Usage(prompt.intValue(), completion.intValue(), false);
    }
  }
}
