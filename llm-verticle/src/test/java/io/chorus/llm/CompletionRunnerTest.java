package io.chorus.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.llm.provider.ChatTurn;
import io.chorus.model.ChorusException;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.llm.CompletionAccepted;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.chorus.model.streams.InMemoryStreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The answer's life cycle with fake storage, room and provider: no bus, no network. */
class CompletionRunnerTest {
  private final String conv = UUID.randomUUID().toString();
  private final FakeConversationPort port = new FakeConversationPort();
  private final ScriptedProvider provider = new ScriptedProvider();
  private final InMemoryStreamRegistry registry = new InMemoryStreamRegistry();
  private final CompletionRunner runner = new CompletionRunner(new StreamTools(provider, port,
      new ContextBuilder("Be brief.", 20, 1000), registry, "worker-1", 0, (delay, task) -> () -> { }), 2, 1);
  private StoredMessage question;
  private StartCompletion start;

  @BeforeEach
  void setUp() {
    question = FakeConversationPort.userMessage(conv, 1, "What is Vert.x?");
    port.history.add(question);
    start = new StartCompletion(conv, "stream-1", question.messageId(), "u1");
  }

  private void startAndStream(String... deltas) {
    Future<CompletionAccepted> accepted = runner.start(start);
    assertThat(accepted.result()).isEqualTo(new CompletionAccepted("stream-1"));
    for (String delta : deltas) {
      provider.listener.onDelta(delta);
    }
  }

  @Test
  void chunksArePublishedInIndexOrderAndTheCompleteContentIsTheirConcatenation() {
    startAndStream("Vert.x", " is a", " toolkit", ".");
    provider.listener.onEnd("stop", new Usage(12, 4, false));

    List<JsonObject> chunks = port.eventsOfType(RoomEvents.AI_RESPONSE_CHUNK);
    assertThat(chunks).extracting(c -> c.getLong("index")).containsExactly(0L, 1L, 2L, 3L);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.getString("streamId")).isEqualTo("stream-1");
      assertThat(c.getString("conversationId")).isEqualTo(conv);
    });
    String concatenated = String.join("", chunks.stream().map(c -> c.getString("delta")).toList());

    JsonObject complete = port.lastEvent();
    assertThat(port.events).hasSize(5);
    assertThat(complete.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_COMPLETE);
    assertThat(complete.getString("content")).isEqualTo(concatenated).isEqualTo("Vert.x is a toolkit.");
    assertThat(complete.getLong("seq")).isEqualTo(10L);
    assertThat(complete.getString("finishReason")).isEqualTo("stop");
    assertThat(complete.getString("replyTo")).isEqualTo(question.messageId());

    AppendMessage stored = port.appended.get(0);
    assertThat(stored).isEqualTo(AppendMessage.assistant(conv, question.messageId(), "stream-1",
        "Vert.x is a toolkit.", FinishReason.STOP, new Usage(12, 4, false)).askedBy("u1"));
    assertThat(runner.activeStreams()).isZero();
  }

  @Test
  void aProgressWriteThatFailsLosesNoText() {
    startAndStream("Vert.x");
    registry.nextUpdateFails = new IllegalStateException("partition migrating");
    provider.listener.onDelta(" is a");
    provider.listener.onDelta(" toolkit.");
    provider.listener.onEnd("stop", null);

    String published = String.join("", port.eventsOfType(RoomEvents.AI_RESPONSE_CHUNK).stream()
        .map(c -> c.getString("delta")).toList());
    assertThat(published).isEqualTo("Vert.x is a toolkit.");
    assertThat(port.lastEvent().getString("content")).isEqualTo("Vert.x is a toolkit.");
  }

  @Test
  void providerUsageIsReportedAsIs() {
    startAndStream("ok");
    provider.listener.onEnd("stop", new Usage(99, 1, false));
    assertThat(port.lastEvent().getJsonObject("usage"))
        .isEqualTo(new JsonObject().put("promptTokens", 99).put("completionTokens", 1));
  }

  @Test
  void usageIsEstimatedWhenTheProviderReportsNone() {
    startAndStream("Twelve chars");
    provider.listener.onEnd("length", null);

    int promptChars = provider.turns.stream().mapToInt(t -> t.content().length()).sum();
    Usage usage = port.appended.get(0).usage();
    assertThat(usage).isEqualTo(new Usage((promptChars + 3) / 4, 3, true));
    JsonObject complete = port.lastEvent();
    assertThat(complete.getString("finishReason")).isEqualTo("length");
    assertThat(complete.getJsonObject("usage").getBoolean("estimated")).isTrue();
  }

  @Test
  void theProviderGetsTheSystemPromptThenTheHistoryUpToTheQuestion() {
    port.history.add(0, FakeConversationPort.userMessage(conv, 0, "Hi"));
    port.history.add(FakeConversationPort.userMessage(conv, 2, "a later message"));
    startAndStream();
    assertThat(provider.turns).containsExactly(
        ChatTurn.system("Be brief."), ChatTurn.user("Hi"), ChatTurn.user("What is Vert.x?"));
  }

  /**
   * Regenerate: an old question is asked again after the room moved on by more than the context window; the
   * worker reads the history up to the question's seq, so the window ends at the question, not at the latest.
   */
  @Test
  void aQuestionAskedAgainIsAnsweredFromTheHistoryUpToIt() {
    port.history.add(FakeConversationPort.assistantMessage(conv, 2, "Vert.x is a toolkit.", "stop"));
    for (int seq = 3; seq < 40; seq++) {
      port.history.add(FakeConversationPort.userMessage(conv, seq, "later " + seq));
    }
    start = new StartCompletion(conv, "stream-1", question.messageId(), "u1", null, question.seq());
    startAndStream();
    assertThat(provider.turns).containsExactly(ChatTurn.system("Be brief."), ChatTurn.user("What is Vert.x?"));
  }

  @Test
  void anErrorBeforeAnyTextPublishesAnErrorWithoutSeqAndStoresNothing() {
    startAndStream();
    provider.listener.onError(ChorusException.unavailable("the model provider answered HTTP 500"));

    assertThat(port.appended).isEmpty();
    assertThat(port.events).hasSize(1);
    JsonObject error = port.lastEvent();
    assertThat(error.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_ERROR);
    assertThat(error.getInteger("code")).isEqualTo(503);
    assertThat(error.getString("error")).isEqualTo("the model provider answered HTTP 500");
    assertThat(error.containsKey("seq")).isFalse();
    assertThat(runner.activeStreams()).isZero();
  }

  @Test
  void anErrorAfterSomeTextStoresThePartialAnswerAndPublishesItsEvent() {
    startAndStream("Half", " an answer");
    provider.listener.onError(new IllegalStateException("connection reset, key sk-secret"));

    AppendMessage partial = port.appended.get(0);
    assertThat(partial.content()).isEqualTo("Half an answer");
    assertThat(partial.finishReason()).isEqualTo(StoredMessage.FINISH_ERROR);
    assertThat(partial.errorCode()).isEqualTo(503);
    assertThat(partial.usage().estimated()).isTrue();

    JsonObject error = port.lastEvent();
    assertThat(error.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_ERROR);
    assertThat(error.getInteger("code")).isEqualTo(503);
    assertThat(error.getLong("seq")).isEqualTo(10L);
    assertThat(error.getString("messageId")).isNotBlank();
    assertThat(error.getString("content")).isEqualTo("Half an answer");
    assertThat(error.getString("error")).isEqualTo("the answer failed").doesNotContain("sk-secret");
  }

  @Test
  void aStorageFailureAtTheEndStillPublishesAnError() {
    port.failAppend = true;
    startAndStream("All", " of it");
    provider.listener.onEnd("stop", null);

    assertThat(port.appended).hasSize(1);
    JsonObject error = port.lastEvent();
    assertThat(error.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_ERROR);
    assertThat(error.getInteger("code")).isEqualTo(503);
    assertThat(error.containsKey("seq")).isFalse();
    assertThat(runner.activeStreams()).isZero();
  }

  @Test
  void aStorageFailureForAPartialAnswerStillPublishesAnError() {
    port.failAppend = true;
    startAndStream("Part");
    provider.listener.onError(ChorusException.unavailable("the model provider reported an error"));

    JsonObject error = port.lastEvent();
    assertThat(error.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_ERROR);
    assertThat(error.getString("error")).isEqualTo("the model provider reported an error");
    assertThat(error.containsKey("seq")).isFalse();
  }

  @Test
  void aHistoryFailurePublishesAnErrorAndNeverCallsTheProvider() {
    port.failHistory = true;
    runner.start(start);
    assertThat(provider.calls).isZero();
    assertThat(port.events).hasSize(1);
    assertThat(port.lastEvent().getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_ERROR);
    assertThat(runner.activeStreams()).isZero();
  }

  @Test
  void anEmptyAnswerIsAnErrorAndNothingIsStored() {
    startAndStream();
    provider.listener.onEnd("stop", null);
    assertThat(port.appended).isEmpty();
    assertThat(port.lastEvent().getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_ERROR);
  }

  @Test
  void callbacksAfterTheEndAreIgnored() {
    startAndStream("Done");
    provider.listener.onError(ChorusException.unavailable("the model provider reported an error"));
    int published = port.events.size();
    provider.listener.onDelta("late");
    provider.listener.onEnd("stop", null);
    provider.listener.onError(new RuntimeException("again"));
    assertThat(port.events).hasSize(published);
    assertThat(port.appended).hasSize(1);
  }

  @Test
  void theSameStreamIdIsAnsweredOnce() {
    startAndStream("a");
    runner.start(start);
    assertThat(provider.calls).isEqualTo(1);
    assertThat(runner.activeStreams()).isEqualTo(1);
  }

  @Test
  void abortAllEndsRunningAnswersKeepingTheirText() {
    startAndStream("Some", " text");
    Future<Void> aborted = runner.abortAll("the assistant worker stopped");

    assertThat(aborted.succeeded()).isTrue();
    assertThat(provider.cancelled).isTrue();
    JsonObject error = port.lastEvent();
    assertThat(error.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_ERROR);
    assertThat(error.getString("error")).isEqualTo("the assistant worker stopped");
    assertThat(error.getString("content")).isEqualTo("Some text");
    assertThat(error.containsKey("stoppedBy")).as("an operator's stop names no member").isFalse();
    assertThat(port.appended).allSatisfy(m -> assertThat(m.stoppedBy()).isNull());
    assertThat(runner.activeStreams()).isZero();
  }

  @Test
  void theRegistryHoldsTheTextSoFarWhileTheAnswerStreams() {
    startAndStream("Vert.x", " is");

    var state = registry.streams.get("stream-1");
    assertThat(state.workerId()).isEqualTo("worker-1");
    assertThat(state.index()).isEqualTo(1);
    assertThat(state.text()).isEqualTo("Vert.x is");
    assertThat(state.snapshot()).isEqualTo(new JsonObject().put("streamId", "stream-1")
        .put("replyTo", question.messageId()).put("index", 1L).put("text", "Vert.x is"));

    provider.listener.onEnd("stop", null);
    assertThat(registry.streams).isEmpty();
  }

  @Test
  void stopAbortsTheProviderAndKeepsThePartialTextAsCancelled() {
    startAndStream("Half", " an");

    var stopped = runner.stop(new io.chorus.model.llm.StopStream(conv, "stream-1", "u1", "alice"));

    assertThat(stopped.result().stopped()).isTrue();
    assertThat(provider.cancelled).isTrue();
    JsonObject complete = port.lastEvent();
    assertThat(complete.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_COMPLETE);
    assertThat(complete.getString("finishReason")).isEqualTo("cancelled");
    assertThat(complete.getString("content")).isEqualTo("Half an");
    assertThat(complete.getJsonObject("stoppedBy")).as("who stopped it")
        .isEqualTo(new JsonObject().put("userId", "u1").put("username", "alice"));
    assertThat(port.appended.get(0).stoppedBy()).isEqualTo(new io.chorus.model.storage.UserInfo("u1", "alice"));
    assertThat(port.appended.get(0).finishReason()).isEqualTo("cancelled");
    assertThat(port.appended.get(0).usage().estimated()).isTrue();
    // Deltas that were already on their way after the stop are dropped.
    provider.listener.onDelta(" answer");
    provider.listener.onEnd("stop", null);
    assertThat(port.eventsOfType(RoomEvents.AI_RESPONSE_COMPLETE)).hasSize(1);
    assertThat(runner.activeStreams()).isZero();
  }

  @Test
  void stoppingTwiceIsHarmlessAndAnUnknownStreamIs404() {
    startAndStream("x");
    runner.stop(new io.chorus.model.llm.StopStream(conv, "stream-1", "u1"));
    var again = runner.stop(new io.chorus.model.llm.StopStream(conv, "stream-1", "u1"));
    assertThat(again.failed()).isTrue();
    assertThat(((ChorusException) again.cause()).code()).isEqualTo(io.chorus.model.ErrorCode.NOT_FOUND);
    assertThat(port.eventsOfType(RoomEvents.AI_RESPONSE_COMPLETE)).hasSize(1);
    assertThat(port.appended).hasSize(1);
  }

  @Test
  void aStreamAlreadyEndedElsewhereIsNotEndedTwice() {
    startAndStream("partial");
    registry.streams.remove("stream-1"); // a watchdog claimed it, believing this worker dead

    provider.listener.onEnd("stop", null);

    assertThat(port.eventsOfType(RoomEvents.AI_RESPONSE_COMPLETE)).isEmpty();
    assertThat(port.appended).isEmpty();
    assertThat(runner.activeStreams()).isZero();
  }

  @Test
  void aStreamClaimedElsewhereWhileStreamingPublishesNothingMoreAndStopsTheProvider() {
    startAndStream("first ");
    assertThat(port.eventsOfType(RoomEvents.AI_RESPONSE_CHUNK)).hasSize(1);
    registry.streams.remove("stream-1"); // a watchdog ended it, believing this worker dead

    provider.listener.onDelta("second");
    provider.listener.onDelta("third");
    provider.listener.onEnd("stop", null);

    assertThat(port.eventsOfType(RoomEvents.AI_RESPONSE_CHUNK)).hasSize(1);
    assertThat(port.eventsOfType(RoomEvents.AI_RESPONSE_COMPLETE)).isEmpty();
    assertThat(port.appended).isEmpty();
    assertThat(provider.cancelled).isTrue();
    assertThat(runner.activeStreams()).isZero();
  }

  private StartCompletion another(String streamId) {
    return new StartCompletion(conv, streamId, question.messageId(), "u1");
  }

  @Test
  void beyondItsSlotsAWorkerQueuesThenRefusesWith503() {
    assertThat(runner.start(another("a")).succeeded()).isTrue();
    assertThat(runner.start(another("b")).succeeded()).isTrue();
    assertThat(runner.start(another("c")).succeeded()).as("queued").isTrue();
    Future<CompletionAccepted> refused = runner.start(another("d"));

    assertThat(refused.failed()).isTrue();
    assertThat(((ChorusException) refused.cause()).code()).isEqualTo(io.chorus.model.ErrorCode.UNAVAILABLE);
    assertThat(runner.activeStreams()).isEqualTo(2);
    assertThat(runner.waitingStreams()).isEqualTo(1);
    assertThat(provider.calls).isEqualTo(2);
    assertThat(registry.streams.keySet()).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void aFreedSlotStartsTheNextWaitingStream() {
    runner.start(another("a"));
    var first = provider.listener;
    runner.start(another("b"));
    runner.start(another("c"));

    first.onDelta("done");
    first.onEnd("stop", null);

    assertThat(provider.calls).isEqualTo(3);
    assertThat(runner.activeStreams()).isEqualTo(2);
    assertThat(runner.waitingStreams()).isZero();
  }

  @Test
  void aFreedSlotGoesToAnotherUsersQuestionBeforeTheFloodersBacklog() {
    CompletionRunner wide = new CompletionRunner(new StreamTools(provider, port,
        new ContextBuilder("Be brief.", 20, 1000), registry, "worker-1", 0, (delay, task) -> () -> { }), 2, 10);
    java.util.List<io.chorus.llm.provider.ChatProvider.Listener> listeners = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      wide.start(new StartCompletion(conv, "flood-" + i, question.messageId(), "flooder"));
      if (provider.calls > listeners.size()) {
        listeners.add(provider.listener); // the two that took the slots
      }
    }
    wide.start(new StartCompletion(conv, "bob-1", question.messageId(), "bob"));
    assertThat(wide.waitingStreams()).isEqualTo(5);

    listeners.get(0).onDelta("one");
    listeners.get(0).onEnd("stop", null);

    assertThat(provider.calls).as("the freed slot went to a waiting question").isEqualTo(3);
    assertThat(registry.streams.get("bob-1")).isNotNull();
    provider.listener.onDelta("bob's answer");
    JsonObject bobsChunk = port.eventsOfType(RoomEvents.AI_RESPONSE_CHUNK).stream()
        .filter(c -> "bob-1".equals(c.getString("streamId"))).findFirst().orElse(null);
    assertThat(bobsChunk).as("bob's question took the slot, ahead of the flooder's four waiting").isNotNull();
    assertThat(wide.waitingStreams()).isEqualTo(4);
  }

  @Test
  void aWaitingStreamCanBeStoppedAndNeverReachesTheProvider() {
    runner.start(another("a"));
    runner.start(another("b"));
    runner.start(another("c"));

    runner.stop(new io.chorus.model.llm.StopStream(conv, "c", "u1"));

    JsonObject complete = port.lastEvent();
    assertThat(complete.getString("streamId")).isEqualTo("c");
    assertThat(complete.getString("finishReason")).isEqualTo("cancelled");
    assertThat(complete.getString("content")).isEmpty();
    assertThat(runner.waitingStreams()).isZero();
    assertThat(provider.calls).isEqualTo(2);
  }

  @Test
  void coalescedChunksStillAddUpToTheStoredContent() {
    java.util.List<Runnable> windows = new java.util.ArrayList<>();
    CompletionRunner paced = new CompletionRunner(new StreamTools(provider, port,
        new ContextBuilder("Be brief.", 20, 1000), registry, "worker-1", 30, (delay, task) -> {
          windows.add(task);
          return () -> windows.remove(task);
        }), 2, 1);
    paced.start(start);
    provider.listener.onDelta("a");
    provider.listener.onDelta("b");
    provider.listener.onDelta("c");
    assertThat(registry.streams.get("stream-1").text()).isEqualTo("a");
    provider.listener.onEnd("stop", null);

    List<JsonObject> chunks = port.eventsOfType(RoomEvents.AI_RESPONSE_CHUNK);
    assertThat(chunks).extracting(c -> c.getString("delta")).containsExactly("a", "bc");
    assertThat(chunks).extracting(c -> c.getLong("index")).containsExactly(0L, 1L);
    assertThat(port.lastEvent().getString("content")).isEqualTo("abc");
  }

  @Test
  void anAnswerThatEndsWhileProgressIsStillBeingRecordedEndsOnceEverythingIsSent() {
    io.vertx.core.Promise<Void> slowWrite = io.vertx.core.Promise.promise();
    InMemoryStreamRegistry slow = new InMemoryStreamRegistry() {
      @Override
      public Future<Boolean> update(io.chorus.model.streams.StreamState state) {
        Future<Boolean> recorded = super.update(state);
        return state.index() == 0 ? slowWrite.future().compose(v -> recorded) : recorded;
      }
    };
    java.util.List<Runnable> windows = new java.util.ArrayList<>();
    CompletionRunner paced = new CompletionRunner(new StreamTools(provider, port,
        new ContextBuilder("Be brief.", 20, 1000), slow, "worker-1", 30, (delay, task) -> {
          windows.add(task);
          return () -> windows.remove(task);
        }), 2, 1);
    paced.start(start);
    provider.listener.onDelta("fine ");
    provider.listener.onDelta("thanks");
    provider.listener.onEnd("stop", null);
    assertThat(port.eventsOfType(RoomEvents.AI_RESPONSE_COMPLETE)).isEmpty();

    slowWrite.complete();

    assertThat(port.eventsOfType(RoomEvents.AI_RESPONSE_CHUNK)).extracting(c -> c.getString("delta"))
        .containsExactly("fine ", "thanks");
    assertThat(port.lastEvent().getString("content")).isEqualTo("fine thanks");
    assertThat(paced.activeStreams()).isZero();
  }

  private StreamTools limitedTools(ScriptedProvider scripted, ProviderLimiter limiter,
      java.util.Map<Runnable, Long> timers) {
    return new StreamTools(scripted, port, new ContextBuilder("Be brief.", 20, 1000), registry, "worker-1", 0,
        (delay, task) -> {
          timers.put(task, delay);
          return () -> timers.remove(task);
        }, StreamMeters.none(), limiter);
  }

  @Test
  void withTheDefaultsOneWorkerHoldsAThousandAnswersAtOnce() {
    LlmConfig defaults = LlmConfig.from(new io.chorus.model.Env(java.util.Map.of()));
    CompletionRunner byDefault = new CompletionRunner(limitedTools(provider, ProviderLimiter.of(defaults.limits()),
        new java.util.HashMap<>()), defaults.maxStreams(), defaults.queueSize());
    for (int i = 0; i < 1_000; i++) {
      assertThat(byDefault.start(new StartCompletion(conv, "s" + i, question.messageId(), "user" + i)).succeeded())
          .as("answer %d accepted", i).isTrue();
    }

    assertThat(provider.calls).as("every answer is at its provider").isEqualTo(1_000);
    assertThat(byDefault.activeStreams()).isEqualTo(1_000);
    assertThat(byDefault.waitingStreams()).isZero();
  }

  @Test
  void aProfilesConcurrentRequestsHoldItsAnswersBackWhileTheWorkerHasRoom() {
    CompletionRunner limited = new CompletionRunner(limitedTools(provider,
        ProviderLimiter.of(new ProviderLimiter.Limits(1, 0, 0)), new java.util.HashMap<>()), 100, 1);
    limited.start(another("a"));
    var first = provider.listener;
    assertThat(limited.start(another("b")).succeeded()).as("waits").isTrue();
    Future<CompletionAccepted> refused = limited.start(another("c"));

    assertThat(provider.calls).isEqualTo(1);
    assertThat(limited.waitingStreams()).isEqualTo(1);
    assertThat(((ChorusException) refused.cause()).code()).isEqualTo(io.chorus.model.ErrorCode.UNAVAILABLE);

    first.onDelta("done");
    first.onEnd("stop", null);
    assertThat(provider.calls).as("the ended request made room for the waiting one").isEqualTo(2);
    assertThat(registry.streams.keySet()).containsExactly("b");
  }

  @Test
  void anAnswerHeldByItsProfilesRequestRateStartsWhenTheRateAllowsIt() {
    long[] clock = {0};
    java.util.Map<Runnable, Long> timers = new java.util.HashMap<>();
    ProviderLimiter oneAMinute = new ProviderLimiter(new ProviderLimiter.Limits(10, 1, 0), () -> clock[0]);
    CompletionRunner limited = new CompletionRunner(limitedTools(provider, oneAMinute, timers), 10, 10);
    limited.start(another("a"));
    provider.listener.onDelta("one");
    provider.listener.onEnd("stop", null);

    limited.start(another("b"));
    assertThat(provider.calls).isEqualTo(1);
    assertThat(timers).hasSize(1);
    assertThat(timers.values()).containsExactly(60_000L);

    clock[0] = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    Runnable recheck = timers.keySet().iterator().next();
    timers.clear();
    recheck.run();
    assertThat(provider.calls).as("the minute's next request").isEqualTo(2);
    assertThat(limited.activeStreams()).isEqualTo(1);
    assertThat(limited.waitingStreams()).isZero();
  }

  @Test
  void oneProfileAtItsLimitDoesNotHoldBackAnotherProfilesAnswers() {
    ScriptedProvider other = new ScriptedProvider();
    java.util.Map<Runnable, Long> timers = new java.util.HashMap<>();
    StreamTools busy = limitedTools(provider, ProviderLimiter.of(new ProviderLimiter.Limits(1, 0, 0)), timers);
    StreamTools free = limitedTools(other, ProviderLimiter.of(new ProviderLimiter.Limits(1, 0, 0)), timers);
    CompletionRunner shared = new CompletionRunner(id -> "other".equals(id) ? free : busy, 10, 10);
    shared.start(another("a"));
    shared.start(another("b"));
    shared.start(new StartCompletion(conv, "c", question.messageId(), "u1", "other"));

    assertThat(provider.calls).isEqualTo(1);
    assertThat(other.calls).isEqualTo(1);
    assertThat(shared.waitingStreams()).isEqualTo(1);
  }
}
