package io.chorus.llm.provider;

import io.chorus.model.ChorusException;
import io.chorus.model.Timers;
import io.chorus.model.storage.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry policy of the HTTP providers, wrapped around either of them: an attempt that fails
 * before its first delta, with a failure the stream marks retryable (connection failure, 5xx, 429, see
 * {@link SseStream}), is made again after the {@link RetryPolicy}'s backoff, up to its number of retries.
 * Once a delta reached the listener there is no retry: the room already shows that text, and a second
 * answer would not continue it. Other failures, and the last retryable one, reach {@code onError} as they
 * are. {@link Handle#cancel()} also cancels a retry that is waiting. The listener contract of
 * {@link ChatProvider} holds across attempts: one terminal callback, none after cancel.
 */
public final class RetryingProvider implements ChatProvider {
  private static final Logger log = LoggerFactory.getLogger(RetryingProvider.class);

  private final ChatProvider delegate;
  private final RetryPolicy policy;
  private final Timers timers;

  public RetryingProvider(Vertx vertx, ChatProvider delegate, RetryPolicy policy) {
    this(delegate, policy, Timers.of(vertx));
  }

  public RetryingProvider(ChatProvider delegate, RetryPolicy policy, Timers timers) {
    this.delegate = delegate;
    this.policy = policy;
    this.timers = timers;
  }

  @Override
  public Handle stream(List<ChatTurn> turns, Listener listener) {
    Call call = new Call(turns, listener);
    call.attempt();
    return call;
  }

  @Override
  public String describe() {
    return delegate.describe() + " with " + policy + " before the first token";
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  /** One answer across its attempts. */
  private final class Call implements Handle {
    private final List<ChatTurn> turns;
    private final Listener listener;
    private int retriesDone;
    private boolean delivered;
    private boolean cancelled;
    private Attempt active;
    private Handle current;
    private Runnable pendingRetry;

    Call(List<ChatTurn> turns, Listener listener) {
      this.turns = turns;
      this.listener = listener;
    }

    void attempt() {
      Attempt attempt = new Attempt();
      active = attempt;
      current = delegate.stream(turns, attempt);
      if (cancelled) {
        current.cancel(); // cancelled from inside a callback the delegate made before returning
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      if (pendingRetry != null) {
        pendingRetry.run();
        pendingRetry = null;
      }
      if (current != null) {
        current.cancel();
      }
    }

    private void retryOrFail(ChorusException failure) {
      if (delivered || retriesDone >= policy.retries()) {
        listener.onError(failure);
        return;
      }
      long delayMs = policy.delayMs(++retriesDone);
      log.info("retrying the model provider in {} ms (retry {} of {}) after: {}", delayMs, retriesDone,
          policy.retries(), failure.getMessage());
      pendingRetry = timers.schedule(delayMs, () -> {
        pendingRetry = null;
        if (!cancelled) {
          attempt();
        }
      });
    }

    /** The listener of one attempt; callbacks of an attempt that is no longer the active one are ignored. */
    private final class Attempt implements AttemptListener {
      private boolean live() {
        return !cancelled && active == this;
      }

      @Override
      public void onDelta(String delta) {
        if (live()) {
          delivered = true;
          listener.onDelta(delta);
        }
      }

      @Override
      public void onEnd(String finishReason, Usage usage) {
        if (live()) {
          active = null;
          listener.onEnd(finishReason, usage);
        }
      }

      @Override
      public void onError(Throwable error) {
        if (live()) {
          active = null;
          listener.onError(error);
        }
      }

      @Override
      public void onRetryableError(ChorusException failure) {
        if (live()) {
          active = null;
          retryOrFail(failure);
        }
      }
    }
  }
}
