package io.chorus.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.ChorusException;
import io.chorus.model.Env;
import io.chorus.model.ErrorCode;
import io.chorus.model.chat.HistoryRequest;
import io.chorus.model.chat.RegenerateAnswer;
import io.chorus.model.files.FileAttachment;
import io.chorus.model.limits.SharedRateLimiter;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.RoomNotice;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.chat.SendMessage;
import io.chorus.model.chat.SendResult;
import io.chorus.model.chat.TypingUpdate;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.llm.StopStream;
import io.chorus.model.streams.InMemoryStreamRegistry;
import io.chorus.model.streams.StreamState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatServiceTest {
  private static final String CONV = UUID.randomUUID().toString();
  private static final String ALICE = UUID.randomUUID().toString();
  private static final String MALLORY = UUID.randomUUID().toString();
  private static final String BOB = UUID.randomUUID().toString();

  private final AtomicLong clock = new AtomicLong();
  private FakeChatPorts ports;
  private final InMemoryStreamRegistry streams = new InMemoryStreamRegistry();
  private ChatService chat;

  @BeforeEach
  void setUp() {
    ports = new FakeChatPorts();
    ports.members.add(ALICE);
    ports.members.add(BOB);
    chat = new ChatService(ChatConfig.defaults(), ports, streams, clock::get);
  }

  private ChatService chatWith(Map<String, String> settings) {
    return new ChatService(ChatConfig.from(new Env(settings)), ports, streams, clock::get);
  }

  /** The code a send was refused with, whether it threw at once or failed its future. */
  private static ErrorCode refusal(Supplier<Future<?>> call) {
    try {
      return failureCode(call.get());
    } catch (ChorusException e) {
      return e.code();
    }
  }

  private SendMessage send(String text, String clientMsgId, boolean ai) {
    return new SendMessage(CONV, ALICE, "alice", text, clientMsgId, ai);
  }

  private static <T> T done(Future<T> future) {
    assertThat(future.succeeded()).as("succeeded: %s", future.cause()).isTrue();
    return future.result();
  }

  private static ErrorCode failureCode(Future<?> future) {
    assertThat(future.failed()).isTrue();
    return ((ChorusException) future.cause()).code();
  }

  @Test
  void storesAndAnnouncesAMessage() {
    SendResult result = done(chat.send(send("hello", "c1", false)));

    assertThat(result.seq()).isEqualTo(1);
    assertThat(ports.publishedTypes()).containsExactly("new_message");
    JsonObject event = ports.published.get(0);
    assertThat(event.getString("content")).isEqualTo("hello");
    assertThat(event.getLong("seq")).isEqualTo(1);
    assertThat(event.getString("messageId")).isEqualTo(result.messageId());
  }

  @Test
  void aResendReturnsTheFirstMessageAndAnnouncesNothing() {
    SendResult first = done(chat.send(send("hello", "c1", true)));
    int eventsAfterFirst = ports.published.size();

    SendResult again = done(chat.send(send("hello", "c1", true)));

    assertThat(again).isEqualTo(new SendResult(first.messageId(), first.seq()));
    assertThat(again.streamId()).as("nothing is asked again").isNull();
    assertThat(ports.published).hasSize(eventsAfterFirst);
    assertThat(ports.completions).hasSize(1);
    assertThat(ports.stored).hasSize(1);
  }

  @Test
  void anAiQuestionAnnouncesThinkingAndStartsACompletion() {
    SendResult result = done(chat.send(send("what is 2+2?", "c2", true)));

    assertThat(ports.publishedTypes()).containsExactly("new_message", "ai_thinking");
    JsonObject thinking = ports.published.get(1);
    assertThat(thinking.getString("replyTo")).isEqualTo(result.messageId());
    assertThat(result.aiThinking()).as("the reply carries the announcement too").isEqualTo(thinking);
    assertThat(result.toJson().getString("streamId")).isEqualTo(thinking.getString("streamId"));
    assertThat(ports.completions).singleElement()
        .satisfies(c -> assertThat(c.streamId()).isEqualTo(thinking.getString("streamId")));
  }

  @Test
  void withoutAnLlmWorkerTheRoomGetsAnErrorInsteadOfWaiting() {
    ports.llmAvailable = false;

    done(chat.send(send("anyone?", "c3", true)));

    assertThat(ports.publishedTypes()).containsExactly("new_message", "ai_thinking", "ai_response_error");
    assertThat(ports.published.get(2).getInteger("code")).isEqualTo(503);
    assertThat(ports.published.get(2).getString("streamId")).isEqualTo(ports.published.get(1).getString("streamId"));
  }

  @Test
  void aStartThatTimedOutIsNotSentAgainAndItsWorkersStreamIsLeftToRun() {
    ports.llmReplyTimesOut = true;
    ports.onStart = request -> streams.register(StreamState.started(request, "slow-worker"));

    done(chat.send(send("slow?", "c5", true)));

    assertThat(ports.startAttempts).isEqualTo(1);
    assertThat(ports.publishedTypes()).containsExactly("new_message", "ai_thinking");
  }

  @Test
  void aStartThatTimedOutWithNoWorkerHoldingTheStreamEndsItWithAnError() {
    ports.llmReplyTimesOut = true;

    done(chat.send(send("anyone?", "c6", true)));

    assertThat(ports.startAttempts).isEqualTo(1);
    assertThat(ports.publishedTypes()).containsExactly("new_message", "ai_thinking", "ai_response_error");
    assertThat(ports.published.get(2).getInteger("code")).isEqualTo(503);
  }

  @Test
  void refusesEmptyAndOverlongTextWith400AndStoresNothing() {
    String tooLong = "x".repeat(32_001);
    assertThatThrownBy(() -> chat.send(send("", "c4", false)))
        .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    assertThatThrownBy(() -> chat.send(send("   ", "c5", false)))
        .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    assertThatThrownBy(() -> chat.send(send(tooLong, "c6", false)))
        .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    // PostgreSQL text cannot hold NUL: refused here, not failed in storage.
    assertThatThrownBy(() -> chat.send(send("a\u0000b", "c7", false)))
        .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    assertThatThrownBy(() -> chat.send(send("fine", "c\u00008", false)))
        .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    assertThat(ports.stored).isEmpty();
    assertThat(ports.published).isEmpty();
  }

  @Test
  void acceptsTextOfExactlyTheLimitCountedInCharactersNotUtf16Units() {
    String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
    done(chat.send(send(emoji.repeat(32_000), "c7", false)));
    assertThat(ports.stored).hasSize(1);
  }

  @Test
  void aNonMemberCannotSend() {
    Future<SendResult> result = chat.send(new SendMessage(CONV, MALLORY, "mallory", "hi", "c8", false));
    assertThat(failureCode(result)).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(ports.published).isEmpty();
  }

  @Test
  void typingIsRelayedToMembersAndRateLimitedPerUser() {
    for (int i = 0; i < 4; i++) {
      done(chat.typing(new TypingUpdate(CONV, ALICE, "alice", i % 2 == 0)));
    }
    assertThat(failureCode(chat.typing(new TypingUpdate(CONV, ALICE, "alice", true))))
        .isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(ports.publishedTypes()).containsExactly("user_typing", "user_typing", "user_typing", "user_typing");

    clock.addAndGet(1_000_000_000L);
    done(chat.typing(new TypingUpdate(CONV, ALICE, "alice", false)));
    assertThat(ports.published).hasSize(5);
    assertThat(ports.stored).isEmpty();
  }

  @Test
  void aNonMemberCannotTypeIntoARoom() {
    assertThat(failureCode(chat.typing(new TypingUpdate(CONV, MALLORY, "mallory", true))))
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(ports.published).isEmpty();
  }

  @Test
  void historyReturnsPersistedEventsAsTheyWereAnnounced() {
    done(chat.send(send("one", "a", false)));
    done(chat.send(send("two", "b", false)));

    var reply = done(chat.history(new HistoryRequest(CONV, ALICE, 1L, null, null)));

    assertThat(reply.lastSeq()).isEqualTo(2);
    assertThat(reply.messages().size()).isEqualTo(1);
    assertThat(reply.messages().getJsonObject(0)).isEqualTo(ports.published.get(1));
  }

  @Test
  void historyRefusesContradictoryOrOutOfRangeArguments() {
    assertThatThrownBy(() -> chat.history(new HistoryRequest(CONV, ALICE, 1L, 5L, null)))
        .isInstanceOf(ChorusException.class);
    assertThatThrownBy(() -> chat.history(new HistoryRequest(CONV, ALICE, null, null, 0)))
        .isInstanceOf(ChorusException.class);
  }

  private StreamState streaming(String streamId, String text) {
    StreamState state = StreamState.started(new StartCompletion(CONV, streamId, "question-1", ALICE), "worker-1")
        .withProgress(2, text).withPromptChars(40);
    streams.register(state);
    return state;
  }

  @Test
  void historyCarriesTheTextSoFarOfAnswersStillStreaming() {
    done(chat.send(send("question", "q", false)));
    streaming("s-1", "Half of");

    var reply = done(chat.history(new HistoryRequest(CONV, ALICE, 0L, null, null)));

    assertThat(reply.streams().size()).isEqualTo(1);
    assertThat(reply.streams().getJsonObject(0)).isEqualTo(new JsonObject().put("streamId", "s-1")
        .put("replyTo", "question-1").put("index", 2L).put("text", "Half of"));
  }

  @Test
  void stopReachesTheWorkerThatOwnsTheStream() {
    streaming("s-2", "abc");

    assertThat(done(chat.stop(new StopStream(CONV, "s-2", ALICE))).stopped()).isTrue();

    assertThat(ports.stopsSent).extracting(StopStream::streamId).containsExactly("s-2");
  }

  @Test
  void stopEndsTheStreamHereWhenItsWorkerIsGone() {
    ports.workerAlive = false;
    streaming("s-3", "what reached the room");

    assertThat(done(chat.stop(new StopStream(CONV, "s-3", ALICE, "alice"))).stopped()).isTrue();

    JsonObject complete = ports.published.get(ports.published.size() - 1);
    assertThat(complete.getString("type")).isEqualTo("ai_response_complete");
    assertThat(complete.getString("finishReason")).isEqualTo("cancelled");
    assertThat(complete.getString("content")).isEqualTo("what reached the room");
    assertThat(complete.getJsonObject("stoppedBy"))
        .isEqualTo(new JsonObject().put("userId", ALICE).put("username", "alice"));
    assertThat(ports.stored.get(ports.stored.size() - 1).stoppedBy()).as("stored, so history shows it too")
        .isEqualTo(new io.chorus.model.storage.UserInfo(ALICE, "alice"));
    assertThat(streams.streams).isEmpty();
  }

  @Test
  void aStopThatTheWorkerCarriedOutButAnsweredLateIsNotReportedAsUnknown() {
    streaming("s-5", "partial");
    ports.onSlowStop = () -> streams.streams.remove("s-5");

    assertThat(done(chat.stop(new StopStream(CONV, "s-5", ALICE))).stopped()).isFalse();

    assertThat(ports.publishedTypes()).isEmpty(); // the worker published the ending; nothing twice here
  }

  @Test
  void onlyMembersStopAndOnlyStreamsOfThatConversation() {
    streaming("s-4", "x");
    assertThat(failureCode(chat.stop(new StopStream(CONV, "s-4", MALLORY)))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failureCode(chat.stop(new StopStream(CONV, "unknown", ALICE)))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(ports.stopsSent).isEmpty();
  }

  @Test
  void aDeadWorkersAnswerIsStoredAndAnnouncedUnderTheAssistantThatWasAnswering() {
    String assistant = ChatConfig.defaults().assistants().first().id();
    streams.register(StreamState.started(new StartCompletion(CONV, "s-7", "question-1", ALICE, assistant), "w-1")
        .withProgress(0, "half an answer"));
    streams.orphans.add("s-7");

    done(chat.endOrphanedStreams());

    String model = ChatConfig.defaults().assistants().first().model();
    assertThat(ports.appended).singleElement().satisfies(m -> {
      assertThat(m.assistantId()).isEqualTo(assistant);
      assertThat(m.model()).isEqualTo(model).isNotBlank();
      assertThat(m.askedBy()).as("its tokens count for who asked").isEqualTo(ALICE);
    });
    JsonObject ending = ports.published.get(ports.published.size() - 1);
    assertThat(ending.getString("assistantId")).isEqualTo(assistant);
    assertThat(ending.getString("model")).isEqualTo(model);
  }

  @Test
  void aDeadWorkersStreamsEndWithAnErrorKeepingTheirPartialText() {
    streaming("s-5", "partial answer");
    streaming("s-6", "");
    streams.orphans.add("s-5");
    streams.orphans.add("s-6");

    done(chat.endOrphanedStreams());

    JsonObject withText = ports.published.stream().filter(e -> "s-5".equals(e.getString("streamId"))).findFirst()
        .orElseThrow();
    assertThat(withText.getString("type")).isEqualTo("ai_response_error");
    assertThat(withText.getInteger("code")).isEqualTo(503);
    assertThat(withText.getString("content")).isEqualTo("partial answer");
    assertThat(withText.getLong("seq")).isPositive();
    JsonObject withoutText = ports.published.stream().filter(e -> "s-6".equals(e.getString("streamId")))
        .findFirst().orElseThrow();
    assertThat(withoutText.getString("type")).isEqualTo("ai_response_error");
    assertThat(withoutText.containsKey("seq")).isFalse();
    assertThat(ports.stored).hasSize(1);
    assertThat(ports.stored.get(0).usage().estimated()).isTrue();
  }

  @Test
  void messagesBeyondTheBurstAreRefusedWith429AndNotStoredUntilTheRateRefills() {
    for (int i = 0; i < 20; i++) {
      done(chat.send(send("m" + i, "m" + i, false)));
    }
    assertThat(refusal(() -> chat.send(send("one too many", "m20", false)))).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refusal(() -> chat.send(send("a question too", "m21", true)))).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(ports.stored).hasSize(20);
    assertThat(ports.published).hasSize(20);
    assertThat(streams.slotsOf(ALICE)).isZero();

    clock.addAndGet(200_000_000L); // 5 a second: one more after 0.2 s
    done(chat.send(send("again", "m22", false)));
    assertThat(refusal(() -> chat.send(send("not yet", "m23", false)))).isEqualTo(ErrorCode.RATE_LIMITED);
    done(chat.send(new SendMessage(CONV, BOB, "bob", "someone else", "b1", false)));
  }

  /** Limits every ChatService of the test shares, as chat nodes share the cluster's buckets; one per name. */
  private SharedRateLimiter.Factory sharedLimits() {
    Map<String, SharedRateLimiter> byName = new java.util.HashMap<>();
    SharedRateLimiter.Factory local = SharedRateLimiter.local(clock::get);
    return (name, perSecond, burst, grant) -> byName.computeIfAbsent(name,
        n -> local.create(n, perSecond, burst, grant));
  }

  @Test
  void theMessageAndQuestionLimitsAreTheClustersNotEachChatNodes() {
    SharedRateLimiter.Factory cluster = sharedLimits();
    ChatConfig config = ChatConfig.from(new Env(Map.of("AI_QUESTIONS_PER_MINUTE", "2", "AI_MAX_ACTIVE_PER_USER",
        "100")));
    ChatService one = new ChatService(config, ports, streams, cluster, clock::get);
    ChatService two = new ChatService(config, ports, streams, cluster, clock::get);

    done(one.send(send("q1", "q1", true)));
    done(two.send(send("q2", "q2", true)));
    assertThat(refusal(() -> one.send(send("q3", "q3", true)))).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refusal(() -> two.send(send("q4", "q4", true)))).isEqualTo(ErrorCode.RATE_LIMITED);

    for (int i = 0; i < 16; i++) { // bursts of 20: 4 taken by the questions (refused ones too), 16 left
      done((i % 2 == 0 ? one : two).send(send("m" + i, "m" + i, false)));
    }
    assertThat(refusal(() -> one.send(send("m20", "m20", false)))).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refusal(() -> two.send(send("m21", "m21", false)))).isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void limitsThatCannotBeReachedRefuseWith503AndStoreNothing() {
    SharedRateLimiter unreachable = new SharedRateLimiter() {
      @Override
      public Future<Boolean> tryAcquire(String key) {
        return Future.failedFuture(new IllegalStateException("the cluster map is unreachable"));
      }

      @Override
      public void refund(String key) {}

      @Override
      public Future<Boolean> hasToken(String key) {
        return tryAcquire(key);
      }

      @Override
      public void evictIdle() {}
    };
    chat = new ChatService(ChatConfig.defaults(), ports, streams, (name, perSecond, burst, grant) -> unreachable,
        clock::get);

    assertThat(refusal(() -> chat.send(send("hello", "u1", false)))).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(ports.stored).isEmpty();
  }

  @Test
  void messagesTakeGrantsOfAQuarterBurstAtMostASecondsRate() {
    assertThat(ChatService.messageGrant(ChatConfig.defaults())).isEqualTo(5);
    assertThat(ChatService.messageGrant(ChatConfig.from(new Env(Map.of("CHAT_MESSAGES_PER_SECOND", "1",
        "CHAT_MESSAGES_BURST", "10"))))).isEqualTo(1);
    assertThat(ChatService.messageGrant(ChatConfig.from(new Env(Map.of("CHAT_MESSAGES_PER_SECOND", "1000",
        "CHAT_MESSAGES_BURST", "100"))))).isEqualTo(25);
    assertThat(ChatService.messageGrant(ChatConfig.from(new Env(Map.of("CHAT_MESSAGES_BURST", "2")))))
        .isEqualTo(1);
  }

  @Test
  void questionsToTheAssistantBeyondTheirRateAreRefusedWhole() {
    chat = chatWith(Map.of("AI_QUESTIONS_PER_MINUTE", "2", "AI_MAX_ACTIVE_PER_USER", "100"));
    done(chat.send(send("q1", "q1", true)));
    done(chat.send(send("q2", "q2", true)));
    int events = ports.published.size();

    assertThat(refusal(() -> chat.send(send("q3", "q3", true)))).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(ports.stored).hasSize(2);
    assertThat(ports.published).as("no new_message, no ai_thinking").hasSize(events);
    assertThat(ports.completions).hasSize(2);
    done(chat.send(send("a plain message still goes", "p1", false)));

    clock.addAndGet(30_000_000_000L); // 2 a minute: one more after 30 s
    done(chat.send(send("q4", "q4", true)));
    assertThat(ports.completions).hasSize(3);
  }

  @Test
  void aQuestionRefusedBecauseTheRegistryIsUnreachableCostsNoQuestion() {
    chat = chatWith(Map.of("AI_QUESTIONS_PER_MINUTE", "1"));
    streams.nextReserveFails = new IllegalStateException("the cluster map is unreachable");

    assertThat(refusal(() -> chat.send(send("now?", "r1", true)))).isEqualTo(ErrorCode.UNAVAILABLE);

    done(chat.send(send("now?", "r1", true))); // the minute's one question was given back
  }

  @Test
  void theLimitOfAnswersRunningIsOneAcrossAssistants() {
    chat = chatWith(Map.of("ASSISTANTS_FILE", "../config/assistants.example.json"));
    ports.conversationAssistant = "general";
    for (int i = 0; i < 3; i++) {
      done(chat.send(send("q" + i, "q" + i, true)));
    }
    ports.conversationAssistant = "visa"; // another conversation, another assistant's workers
    String elsewhere = UUID.randomUUID().toString();

    assertThat(refusal(() -> chat.send(new SendMessage(elsewhere, ALICE, "alice", "visa?", "v1", true))))
        .isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(ports.completions).extracting(StartCompletion::assistantId).containsOnly("general");
    done(chat.send(new SendMessage(elsewhere, BOB, "bob", "visa?", "v2", true)));
    assertThat(ports.completions).extracting(StartCompletion::assistantId).contains("visa");
  }

  @Test
  void aQuestionIsAskedOfTheAssistantItsAppendReportsARegenerateOfTheOneSetNow() {
    chat = chatWith(Map.of("ASSISTANTS_FILE", "../config/assistants.example.json"));
    ports.conversationAssistant = "visa";
    SendResult question = done(chat.send(send("visa?", "v1", true)));

    assertThat(ports.completions).extracting(StartCompletion::assistantId).containsExactly("visa");
    assertThat(ports.assistantLookups).as("the append said which assistant; no second read").isZero();

    ports.conversationAssistant = "general"; // a member chose another assistant since
    done(chat.regenerate(new RegenerateAnswer(CONV, question.messageId(), ALICE, "alice")));

    assertThat(ports.completions).extracting(StartCompletion::assistantId).containsExactly("visa", "general");
    assertThat(ports.assistantLookups).isEqualTo(1);
  }

  @Test
  void aUserWithMaxAnswersRunningOrWaitingIsRefused429UntilOneEnds() {
    for (int i = 0; i < 3; i++) {
      done(chat.send(send("q" + i, "q" + i, true)));
    }
    int events = ports.published.size();
    Future<SendResult> refused = chat.send(send("a fourth", "q3", true));

    assertThat(failureCode(refused)).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.cause().getMessage()).contains("3 answers").contains("running or waiting");
    assertThat(ports.stored).as("the question is refused whole").hasSize(3);
    assertThat(ports.published).hasSize(events);
    assertThat(ports.completions).hasSize(3);
    done(chat.send(new SendMessage(CONV, BOB, "bob", "bob may ask", "b1", true)));
    done(chat.send(send("alice may still talk", "p1", false)));

    // A worker runs the first answer and ends it: its slot comes back.
    StartCompletion first = ports.completions.get(0);
    done(streams.register(StreamState.started(first, "w1")));
    done(streams.claim(first.streamId()));
    done(chat.send(send("a fourth, later", "q4", true)));
    assertThat(ports.completions).hasSize(5);
  }

  @Test
  void questionsRefusedForTheAnswersRunningDoNotUseUpTheQuestionRate() {
    chat = chatWith(Map.of("AI_QUESTIONS_PER_MINUTE", "4", "AI_MAX_ACTIVE_PER_USER", "1"));
    done(chat.send(send("first", "q0", true)));
    for (int i = 1; i <= 5; i++) {
      assertThat(failureCode(chat.send(send("still waiting?", "r" + i, true)))).isEqualTo(ErrorCode.RATE_LIMITED);
    }
    StartCompletion first = ports.completions.get(0);
    done(streams.register(StreamState.started(first, "w1")));
    done(streams.claim(first.streamId()));
    done(chat.send(send("now", "q1", true)));
    assertThat(ports.completions).as("the retries while waiting cost no question").hasSize(2);
  }

  @Test
  void aSlotIsGivenBackWhenTheQuestionIsNotStoredIsAResendOrNoWorkerTakesIt() {
    ports.llmAvailable = false;
    done(chat.send(send("nobody answers", "q1", true)));
    assertThat(streams.slotsOf(ALICE)).as("no worker took it").isZero();

    ports.llmAvailable = true;
    done(chat.send(send("asked", "q2", true)));
    done(chat.send(send("asked", "q2", true)));
    assertThat(streams.slotsOf(ALICE)).as("the resend started nothing").isEqualTo(1);

    assertThat(failureCode(chat.send(new SendMessage(CONV, MALLORY, "mallory", "hi", "x", true))))
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(streams.slotsOf(MALLORY)).as("not stored").isZero();
  }

  // Regenerate: the same question asked again, a new answer as a new message, with a question's limits.

  private StoredMessage question(String text) {
    return ports.stored.get((int) done(chat.send(send(text, UUID.randomUUID().toString(), false))).seq() - 1);
  }

  private StoredMessage answerTo(StoredMessage question) {
    return done(ports.append(AppendMessage.assistant(CONV, question.messageId(), "s-old", "the old answer",
        FinishReason.STOP, null))).message();
  }

  @Test
  void regenerateAsksTheQuestionAgainFromItselfOrFromItsAnswer() {
    StoredMessage q = question("what is a monad?");
    StoredMessage answer = answerTo(q);
    done(chat.send(send("and later?", "later", false)));
    int storedBefore = ports.stored.size();
    ports.published.clear();

    SendResult fromAnswer = done(chat.regenerate(new RegenerateAnswer(CONV, answer.messageId(), BOB, "bob")));
    assertThat(fromAnswer.messageId()).isEqualTo(q.messageId());
    assertThat(fromAnswer.seq()).isEqualTo(q.seq());
    assertThat(fromAnswer.streamId()).isNotNull();
    assertThat(fromAnswer.aiThinking().getString("replyTo")).isEqualTo(q.messageId());
    assertThat(ports.publishedTypes()).as("no new question stored or announced").containsExactly("ai_thinking");
    assertThat(ports.stored).hasSize(storedBefore);
    StartCompletion asked = ports.completions.get(0);
    assertThat(asked.replyTo()).isEqualTo(q.messageId());
    assertThat(asked.replySeq()).as("answered from the history up to the question").isEqualTo(q.seq());
    assertThat(asked.userId()).as("the one who asked again").isEqualTo(BOB);
    assertThat(asked.streamId()).isEqualTo(fromAnswer.streamId());
    assertThat(streams.slotsOf(BOB)).isEqualTo(1);

    SendResult fromQuestion = done(chat.regenerate(new RegenerateAnswer(CONV, q.messageId(), ALICE, "alice")));
    assertThat(fromQuestion.streamId()).isNotEqualTo(fromAnswer.streamId());
    assertThat(ports.completions.get(1).replyTo()).isEqualTo(q.messageId());
  }

  @Test
  void regenerateRefusesWhatIsNoQuestionOrAnswerStrangersAndUnknownMessages() {
    StoredMessage q = question("hello?");
    StoredMessage file = ports.add(new StoredMessage(UUID.randomUUID().toString(), CONV, 99, "file", ALICE, "alice",
        "caption", null, null, null, null, null, null, null, "now",
        new FileAttachment(UUID.randomUUID().toString(), "a.txt", "text/plain", 1)));
    StoredMessage notice = ports.add(new StoredMessage(UUID.randomUUID().toString(), CONV, 100, "notice", ALICE,
        "alice", "", null, null, null, null, null, null, null, "now", null,
        new RoomNotice("member_left", new JsonObject())));
    assertThat(failureCode(chat.regenerate(new RegenerateAnswer(CONV, file.messageId(), ALICE, "alice"))))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(failureCode(chat.regenerate(new RegenerateAnswer(CONV, notice.messageId(), ALICE, "alice"))))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(failureCode(chat.regenerate(new RegenerateAnswer(CONV, UUID.randomUUID().toString(), ALICE, "a"))))
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failureCode(chat.regenerate(new RegenerateAnswer(CONV, q.messageId(), MALLORY, "mallory"))))
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(ports.completions).isEmpty();
    assertThat(streams.slotsOf(ALICE)).isZero();
  }

  @Test
  void regenerateHasTheLimitsOfAQuestion() {
    chat = chatWith(Map.of("AI_QUESTIONS_PER_MINUTE", "3", "AI_MAX_ACTIVE_PER_USER", "2"));
    StoredMessage q = question("again and again");
    RegenerateAnswer again = new RegenerateAnswer(CONV, q.messageId(), ALICE, "alice");
    done(chat.regenerate(again));
    done(chat.regenerate(again));
    Future<SendResult> busy = chat.regenerate(again);
    assertThat(failureCode(busy)).as("two answers running").isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(busy.cause().getMessage()).contains("running or waiting");

    StartCompletion first = ports.completions.get(0);
    done(streams.register(StreamState.started(first, "w1")));
    done(streams.claim(first.streamId()));
    done(chat.regenerate(again)); // the refusal above cost no question: this is the third of the minute
    StartCompletion second = ports.completions.get(1);
    done(streams.register(StreamState.started(second, "w1")));
    done(streams.claim(second.streamId()));
    assertThat(refusal(() -> chat.regenerate(again))).as("a fourth question in the minute")
        .isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(ports.completions).hasSize(3);
  }

  // A conversation whose assistant answers every message.

  @Test
  void whenTheAssistantAnswersEveryMessageAPlainMessageIsAsked() {
    ports.answersEveryMessage = true;
    SendResult result = done(chat.send(send("hello there", "c1", false)));
    assertThat(ports.publishedTypes()).containsExactly("new_message", "ai_thinking");
    assertThat(result.streamId()).isNotNull();
    assertThat(result.aiThinking().getString("replyTo")).isEqualTo(result.messageId());
    assertThat(ports.completions).singleElement().satisfies(c -> {
      assertThat(c.replyTo()).isEqualTo(result.messageId());
      assertThat(c.userId()).isEqualTo(ALICE);
    });
    assertThat(done(chat.send(send("hello there", "c1", false))).streamId()).as("a resend asks nothing").isNull();
    assertThat(ports.completions).hasSize(1);

    ports.answersEveryMessage = false;
    assertThat(done(chat.send(send("just talk", "c2", false))).streamId()).isNull();
    assertThat(ports.completions).hasSize(1);
  }

  @Test
  void whenTheAssistantAnswersEveryMessageTheQuestionLimitsHoldAndTheMessageStays() {
    chat = chatWith(Map.of("AI_QUESTIONS_PER_MINUTE", "5", "AI_MAX_ACTIVE_PER_USER", "1"));
    ports.answersEveryMessage = true;
    done(chat.send(send("first", "c1", false)));
    SendResult second = done(chat.send(send("second", "c2", false)));
    assertThat(second.streamId()).isNull();
    assertThat(second.aiRefused().getInteger("code")).isEqualTo(429);
    assertThat(second.aiRefused().getString("error")).contains("running or waiting");
    assertThat(second.toJson().getJsonObject("aiRefused")).isEqualTo(second.aiRefused());
    assertThat(ports.stored).as("the message is stored all the same").hasSize(2);
    assertThat(ports.completions).hasSize(1);
  }
}
