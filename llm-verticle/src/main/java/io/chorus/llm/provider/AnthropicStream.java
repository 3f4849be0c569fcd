package io.chorus.llm.provider;

import io.chorus.model.storage.Usage;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One streamed answer of {@link AnthropicProvider}: turns the Messages API events into listener calls.
 * {@code message_start} carries the input tokens, {@code content_block_delta} with a {@code text_delta}
 * is a delta (other block types, such as thinking or tool input, are not part of the answer),
 * {@code message_delta} carries the stop reason and the output tokens, {@code message_stop} ends the
 * answer, {@code ping} and unknown events are ignored, and an {@code error} event fails it (retryable for
 * the in-stream forms of 429, 500 and 529). Transport, timeouts and status handling are
 * {@link SseStream}'s.
 */
final class AnthropicStream extends SseStream {
  /** Error types Anthropic also sends as HTTP 429, 500 and 529: a new request may well succeed. */
  private static final Set<String> RETRYABLE_ERRORS = Set.of("overloaded_error", "api_error", "rate_limit_error");

  private String stopReason;
  private Integer inputTokens;
  private Integer outputTokens;

  AnthropicStream(Vertx vertx, ChatProvider.Listener listener, long streamTimeoutMs, long idleTimeoutMs,
      UnaryOperator<String> redact) {
    super(vertx, listener, streamTimeoutMs, idleTimeoutMs, redact);
  }

  /** Anthropic's stop reasons in the contract's terms; others (e.g. {@code tool_use}) pass through. */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "end_turn", "stop_sequence" -> "stop";
      case "max_tokens" -> "length";
      default -> stopReason;
    };
  }

  @Override
  protected void onEvent(SseEvent event) {
    JsonObject data;
    try {
      data = new JsonObject(event.data());
    } catch (DecodeException | ClassCastException e) {
      malformed("undecodable " + event.event() + " event");
      return;
    }
    String type = data.getValue("type") instanceof String t ? t : event.event();
    switch (type) {
      case "message_start" -> {
        if (data.getValue("message") instanceof JsonObject message) {
          readUsage(message.getValue("usage"));
        }
      }
      case "content_block_start" -> {
        if (data.getValue("content_block") instanceof JsonObject block && "text".equals(block.getValue("type"))
            && block.getValue("text") instanceof String text) {
          delta(text); // normally empty; the text follows in deltas
        }
      }
      case "content_block_delta" -> {
        if (data.getValue("delta") instanceof JsonObject delta && "text_delta".equals(delta.getValue("type"))
            && delta.getValue("text") instanceof String text) {
          delta(text);
        }
      }
      case "message_delta" -> {
        if (data.getValue("delta") instanceof JsonObject delta && delta.getValue("stop_reason") instanceof String r) {
          stopReason = r;
        }
        readUsage(data.getValue("usage"));
      }
      case "message_stop" -> end(finishReason(stopReason), usage());
      case "error" -> failWith(data.getValue("error"));
      default -> { } // ping, content_block_stop, and event types added later
    }
  }

  @Override
  protected void onBodyEnd() {
    if (stopReason != null) {
      end(finishReason(stopReason), usage()); // the stop reason came, only message_stop is missing
    } else {
      closedEarly("no message_stop");
    }
  }

  private void failWith(Object error) {
    String errorType = error instanceof JsonObject json && json.getValue("type") instanceof String t ? t : "unknown";
    Object message = error instanceof JsonObject json ? json.getValue("message", "") : error;
    fail(unavailable("the model provider reported an error"),
        "error event " + errorType + ": " + truncate(String.valueOf(message)), RETRYABLE_ERRORS.contains(errorType));
  }

  /**
   * Input tokens come in {@code message_start} (the prompt, plus any prompt-cache reads and writes, all
   * of which were sent), output tokens in {@code message_delta}, cumulative; the latest count wins.
   */
  private void readUsage(Object value) {
    if (!(value instanceof JsonObject usage)) {
      return;
    }
    if (usage.getValue("input_tokens") instanceof Number input) {
      int total = input.intValue();
      for (String cached : new String[] {"cache_creation_input_tokens", "cache_read_input_tokens"}) {
        if (usage.getValue(cached) instanceof Number n) {
          total += n.intValue();
        }
      }
      inputTokens = total;
    }
    if (usage.getValue("output_tokens") instanceof Number output) {
      outputTokens = output.intValue();
    }
  }

  private Usage usage() {
    return inputTokens == null || outputTokens == null ? null : new Usage(inputTokens, outputTokens, false);
  }
}
