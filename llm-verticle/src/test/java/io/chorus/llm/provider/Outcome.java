package io.chorus.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.storage.Usage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What one stream delivered: its deltas, then either its end or its error; and how to collect it. */
record Outcome(List<String> deltas, String finishReason, Usage usage, Throwable error) {

  /**
   * Runs one stream on an event loop, as the worker does, and completes with what it delivered; it fails
   * instead when a callback runs off that context or after a terminal one.
   */
  static Future<Outcome> collect(Vertx vertx, ChatProvider provider, List<ChatTurn> turns) {
    Promise<Outcome> promise = Promise.promise();
    List<String> deltas = new CopyOnWriteArrayList<>();
    AtomicInteger terminals = new AtomicInteger();
    var context = vertx.getOrCreateContext();
    context.runOnContext(v -> provider.stream(turns, new ChatProvider.Listener() {
      @Override
      public void onDelta(String delta) {
        check();
        deltas.add(delta);
      }

      @Override
      public void onEnd(String finishReason, Usage usage) {
        check();
        terminals.incrementAndGet();
        promise.tryComplete(new Outcome(List.copyOf(deltas), finishReason, usage, null));
      }

      @Override
      public void onError(Throwable error) {
        check();
        terminals.incrementAndGet();
        promise.tryComplete(new Outcome(List.copyOf(deltas), null, null, error));
      }

      private void check() {
        if (terminals.get() > 0 || Vertx.currentContext() != context) {
          promise.tryFail(new AssertionError("a callback after the end, or off the caller's context"));
        }
      }
    }));
    return promise.future();
  }

  void assertUnavailable(String messagePart, String secret) {
    assertThat(error()).isInstanceOf(ChorusException.class);
    ChorusException failure = (ChorusException) error();
    assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(failure.getMessage()).contains(messagePart).doesNotContain(secret);
  }
}
