package io.chorus.llm.provider;

import io.chorus.model.storage.Usage;
import io.vertx.core.Future;
import java.util.List;

/**
 * A source of streamed model answers: {@link OpenAiProvider} for any OpenAI-compatible server,
 * {@link AnthropicProvider} for the Anthropic Messages API (both usually wrapped in a
 * {@link RetryingProvider}), {@link DemoProvider} offline. The LLM worker's {@code StreamSession} drives
 * one call per answer.
 *
 * <p>Contract for implementations: callbacks run on the Vert.x context that called {@link #stream},
 * one at a time; {@code onDelta} is called zero or more times, then exactly one of {@code onEnd} or
 * {@code onError}, then nothing. After {@link Handle#cancel()} no callback is called at all.
 * Failures reach {@code onError} as {@link io.chorus.model.ChorusException} with code 503 and a short
 * message that is safe to show to users (no key, no stack trace, no provider body).
 */
public interface ChatProvider {

  /** Starts streaming an answer to {@code turns} (the system prompt first, oldest message next). */
  Handle stream(List<ChatTurn> turns, Listener listener);

  /** A name for logs, e.g. {@code openai(gpt-4o-mini @ https://api.openai.com/v1)}; never the key. */
  String describe();

  /** Releases connections; running streams are not waited for. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /** Receives one answer as it is generated. */
  interface Listener {
    /** A piece of the answer, never empty; the answer is the concatenation of every delta in order. */
    void onDelta(String delta);

    /**
     * The answer ended normally. {@code finishReason} is the provider's ({@code stop}, {@code length},
     * ...), or null when it gave none; {@code usage} is what the provider reported, or null.
     *
     * <p>Why a string and not {@link io.chorus.model.storage.FinishReason}: these are the provider's own words
     * (OpenAI-compatible servers send {@code content_filter}, {@code tool_calls} and others of their own;
     * {@link AnthropicStream#finishReason} puts Anthropic's in the same words, and {@link DemoProvider} says
     * {@code stop} as they would). The provider layer passes them on as it got them, and the session maps them
     * into the contract's reasons in one place, {@code FinishReason.ofProvider}; the enum holds only what the
     * contract stores (it also has {@code cancelled} and {@code error}, which no provider says).
     */
    void onEnd(String finishReason, Usage usage);

    /** The answer failed, possibly after some deltas. */
    void onError(Throwable error);
  }

  /** A running answer. */
  interface Handle {
    /** Stops the answer and frees its connection so no more bytes are read; callbacks stop at once. */
    void cancel();
  }
}
