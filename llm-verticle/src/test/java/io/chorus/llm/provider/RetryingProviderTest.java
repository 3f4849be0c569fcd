package io.chorus.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.ChorusException;
import io.chorus.model.Timers;
import io.chorus.model.storage.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RetryingProvider}'s decisions without a network: a delegate whose attempts the test drives by
 * hand, and timers that only run when the test says so.
 */
class RetryingProviderTest {
  private static final List<ChatTurn> TURNS = List.of(ChatTurn.user("Hello?"));
  private static final ChorusException UNAVAILABLE = ChorusException.unavailable("the model provider answered HTTP 503");

  /** Each call to stream is an attempt the test finishes through its listener. */
  private static final class HandDriven implements ChatProvider {
    final List<AttemptListener> attempts = new ArrayList<>();
    final List<Boolean> cancelled = new ArrayList<>();

    @Override
    public Handle stream(List<ChatTurn> turns, Listener listener) {
      attempts.add((AttemptListener) listener);
      int index = cancelled.size();
      cancelled.add(false);
      return () -> cancelled.set(index, true);
    }

    @Override
    public String describe() {
      return "hand-driven";
    }

    AttemptListener last() {
      return attempts.get(attempts.size() - 1);
    }
  }

  /** Timers kept in a list; {@link #fire()} runs the oldest one that is still scheduled. */
  private static final class ManualTimers implements Timers {
    final List<Long> delays = new ArrayList<>();
    final List<Runnable> tasks = new ArrayList<>();
    final List<Boolean> cancelled = new ArrayList<>();

    @Override
    public Runnable schedule(long delayMs, Runnable task) {
      int index = tasks.size();
      delays.add(delayMs);
      tasks.add(task);
      cancelled.add(false);
      return () -> cancelled.set(index, true);
    }

    void fire() {
      for (int i = 0; i < tasks.size(); i++) {
        if (!cancelled.get(i) && tasks.get(i) != null) {
          Runnable task = tasks.get(i);
          tasks.set(i, null);
          task.run();
          return;
        }
      }
      throw new AssertionError("no timer scheduled");
    }
  }

  /** Records what reached the room's listener. */
  private static final class Recorder implements ChatProvider.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onDelta(String delta) {
      events.add("delta " + delta);
    }

    @Override
    public void onEnd(String finishReason, Usage usage) {
      events.add("end " + finishReason);
    }

    @Override
    public void onError(Throwable error) {
      events.add("error " + error.getMessage());
    }
  }

  private final HandDriven delegate = new HandDriven();
  private final ManualTimers timers = new ManualTimers();
  private final Recorder recorder = new Recorder();
  private final RetryingProvider provider = new RetryingProvider(delegate, new RetryPolicy(2, 100, () -> 0.5), timers);

  @Test
  void retriesBeforeTheFirstDeltaWithADoublingBackoff() {
    provider.stream(TURNS, recorder);
    delegate.last().onRetryableError(UNAVAILABLE);
    timers.fire();
    delegate.last().onRetryableError(UNAVAILABLE);
    timers.fire();
    delegate.last().onDelta("Hi");
    delegate.last().onEnd("stop", null);

    assertThat(delegate.attempts).hasSize(3);
    assertThat(timers.delays).containsExactly(100L, 200L);
    assertThat(recorder.events).containsExactly("delta Hi", "end stop");
  }

  @Test
  void reportsTheLastFailureWhenTheRetriesRunOut() {
    provider.stream(TURNS, recorder);
    for (int i = 0; i < 2; i++) {
      delegate.last().onRetryableError(UNAVAILABLE);
      timers.fire();
    }
    delegate.last().onRetryableError(UNAVAILABLE);

    assertThat(delegate.attempts).hasSize(3);
    assertThat(recorder.events).containsExactly("error " + UNAVAILABLE.getMessage());
    assertThat(timers.tasks).hasSize(2);
  }

  @Test
  void neverRetriesAfterADelta() {
    provider.stream(TURNS, recorder);
    delegate.last().onDelta("Par");
    delegate.last().onRetryableError(UNAVAILABLE);

    assertThat(delegate.attempts).hasSize(1);
    assertThat(timers.tasks).isEmpty();
    assertThat(recorder.events).containsExactly("delta Par", "error " + UNAVAILABLE.getMessage());
  }

  @Test
  void aFailureThatIsNotRetryablePassesStraightOn() {
    provider.stream(TURNS, recorder);
    delegate.last().onError(ChorusException.unavailable("the model provider answered HTTP 400"));

    assertThat(delegate.attempts).hasSize(1);
    assertThat(timers.tasks).isEmpty();
    assertThat(recorder.events).containsExactly("error the model provider answered HTTP 400");
  }

  @Test
  void cancelDuringTheBackoffCancelsTheRetry() {
    ChatProvider.Handle handle = provider.stream(TURNS, recorder);
    delegate.last().onRetryableError(UNAVAILABLE);
    handle.cancel();

    assertThat(timers.cancelled).containsExactly(true);
    assertThat(delegate.attempts).hasSize(1);
    assertThat(recorder.events).isEmpty();
  }

  @Test
  void cancelStopsTheRunningAttemptAndSilencesIt() {
    ChatProvider.Handle handle = provider.stream(TURNS, recorder);
    delegate.last().onRetryableError(UNAVAILABLE);
    timers.fire();
    handle.cancel();
    delegate.last().onDelta("late");
    delegate.last().onEnd("stop", null);

    assertThat(delegate.cancelled).containsExactly(false, true);
    assertThat(recorder.events).isEmpty();
  }

  @Test
  void anEndedAttemptCannotStartAnother() {
    provider.stream(TURNS, recorder);
    AttemptListener first = delegate.last();
    first.onEnd("stop", null);
    first.onRetryableError(UNAVAILABLE);

    assertThat(timers.tasks).isEmpty();
    assertThat(recorder.events).containsExactly("end stop");
  }

  @Test
  void theBackoffDoublesWithABoundedJitter() {
    assertThat(new RetryPolicy(3, 250, () -> 0.5).delayMs(1)).isEqualTo(250);
    assertThat(new RetryPolicy(3, 250, () -> 0.5).delayMs(3)).isEqualTo(1000);
    assertThat(new RetryPolicy(3, 250, () -> 0.0).delayMs(1)).isEqualTo(188); // -25 %
    assertThat(new RetryPolicy(3, 250, () -> 0.999_999).delayMs(2)).isEqualTo(625); // +25 %
    assertThat(new RetryPolicy(10, 60_000, () -> 0.999_999).delayMs(10)).isEqualTo(RetryPolicy.MAX_DELAY_MS);
    assertThat(new RetryPolicy(1, 0, () -> 0.5).delayMs(1)).isZero();
  }

  @Test
  void describesTheDelegateAndThePolicy() {
    assertThat(provider.describe()).isEqualTo("hand-driven with 2 retries from 100 ms before the first token");
  }
}
