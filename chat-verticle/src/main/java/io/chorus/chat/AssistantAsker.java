package io.chorus.chat;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.assistants.AssistantProfile;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.streams.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asking the assistant a stored question, however it came to be asked (a question sent with {@code ai}, a message
 * in a conversation the assistant answers in full, a regenerate): the asker's answer slot in the cluster's
 * {@link StreamRegistry}, the {@code ai_thinking} announcement, and the hand-over to a worker of the
 * conversation's assistant, or the room told at once why nobody answers.
 */
final class AssistantAsker {
  private static final Logger log = LoggerFactory.getLogger(AssistantAsker.class);
  /** Tries to start an answer on up to this many workers. */
  private static final int START_ATTEMPTS = 3;

  private final ChatConfig config;
  private final ChatPorts ports;
  private final StreamRegistry streams;

  AssistantAsker(ChatConfig config, ChatPorts ports, StreamRegistry streams) {
    this.config = config;
    this.ports = ports;
    this.streams = streams;
  }

  /**
   * One of the user's answer slots for {@code streamId}; beyond {@code aiMaxActivePerUser} a 429, 503 when the
   * registry cannot be reached; either way {@code refund} first gives back what the refused request took.
   */
  Future<Void> reserve(String userId, String streamId, Runnable refund) {
    int max = config.aiMaxActivePerUser();
    return streams.reserve(userId, streamId, max)
        .recover(err -> {
          log.warn("stream={}: could not reserve an answer slot: {}", streamId, err.toString());
          refund.run(); // nothing was asked: our failure must not cost the user a question
          return Future.failedFuture(ChorusException.unavailable("the assistant is unavailable"));
        })
        .compose(reserved -> {
          if (reserved) {
            return Future.succeededFuture();
          }
          refund.run();
          return Future.failedFuture(new ChorusException(ErrorCode.RATE_LIMITED, "you already have " + max
              + (max == 1 ? " answer" : " answers") + " from the assistant running or waiting;"
              + " ask again when one has finished"));
        });
  }

  void release(String userId, String streamId) {
    streams.release(userId, streamId).onFailure(err -> log.warn(
        "stream={}: could not give back its answer slot (it lapses by itself): {}", streamId, err.toString()));
  }

  /**
   * {@link #ask} a question stored earlier (a regenerate): the conversation's assistant is read first, as it is
   * now.
   */
  Future<JsonObject> lookUpAssistantAndAsk(StoredMessage question, String askerId, String streamId) {
    return ask(question, askerId, streamId,
        ports.assistantOf(new MemberRef(question.conversationId(), askerId)));
  }

  /**
   * {@link #ask} a question just stored: {@code conversationAssistant} is the conversation's assistant as the
   * append read it (null: the default), so the question costs no second read of the conversation.
   */
  Future<JsonObject> ask(StoredMessage question, String askerId, String streamId, String conversationAssistant) {
    return ask(question, askerId, streamId, Future.succeededFuture(conversationAssistant));
  }

  /**
   * Announces the stream (with the conversation's assistant and its model) before any worker can emit a chunk
   * for it, then hands it to a worker of that assistant. If none takes it, the assistant could not be looked up,
   * or the conversation's assistant is no longer a profile, the room gets an error naming the assistant at once
   * instead of waiting in ai_thinking forever. Completes with the {@code ai_thinking} event once published
   * (the send's reply carries it); the answer goes on after.
   */
  private Future<JsonObject> ask(StoredMessage question, String askerId, String streamId,
      Future<String> conversationAssistant) {
    String conversationId = question.conversationId();
    return conversationAssistant.transform(lookup -> {
      if (lookup.failed()) {
        JsonObject thinking = RoomEvents.aiThinking(conversationId, streamId, question.messageId());
        ports.publish(conversationId, thinking);
        unanswered(question, askerId, streamId, lookup.cause(), ErrorCode.UNAVAILABLE, "the assistant is unavailable");
        return Future.succeededFuture(thinking);
      }
      AssistantProfile profile = config.assistants().find(lookup.result());
      if (profile == null) {
        JsonObject thinking =
            RoomEvents.aiThinking(conversationId, streamId, question.messageId(), lookup.result(), null);
        ports.publish(conversationId, thinking);
        unanswered(question, askerId, streamId, null, ErrorCode.NOT_FOUND, "the assistant '" + lookup.result()
            + "' of this conversation is no longer configured; choose another one for the conversation");
        return Future.succeededFuture(thinking);
      }
      JsonObject thinking = RoomEvents.aiThinking(conversationId, streamId, question.messageId(),
          profile.id(), profile.model());
      ports.publish(conversationId, thinking);
      startCompletion(new StartCompletion(conversationId, streamId, question.messageId(), askerId,
          profile.id(), question.seq()), START_ATTEMPTS)
          .recover(err -> streamTakenAnyway(streamId, err))
          .onFailure(err -> unanswered(question, askerId, streamId, err,
              err instanceof ChorusException ce ? ce.code() : ErrorCode.UNAVAILABLE,
              "the assistant '" + profile.name() + "' (" + profile.id() + ") is unavailable:"
                  + " no worker serving it took the question"));
      return Future.succeededFuture(thinking);
    });
  }

  /** No worker will answer: the slot goes back and the room hears why at once. */
  private void unanswered(StoredMessage question, String askerId, String streamId, Throwable err, ErrorCode code,
      String message) {
    String conversationId = question.conversationId();
    log.warn("conversation={} stream={}: no assistant took the question: {}{}", conversationId, streamId, message,
        err == null ? "" : " (" + err.getMessage() + ")");
    release(askerId, streamId);
    ports.publish(conversationId, RoomEvents.aiError(conversationId, streamId, code.code(), message, null));
  }

  /**
   * A full or unreachable worker answers 503; the event bus hands the next attempt to another worker
   * (round-robin), so a few attempts find free capacity anywhere in the pool before giving up. A request
   * that timed out is not sent again: its worker may be answering it, and a second one would answer too.
   */
  private Future<Void> startCompletion(StartCompletion request, int attemptsLeft) {
    return ports.startCompletion(request).recover(err -> attemptsLeft > 1
        && err instanceof ChorusException ce && ce.code() == ErrorCode.UNAVAILABLE && !ce.outcomeUnknown()
        ? startCompletion(request, attemptsLeft - 1) : Future.failedFuture(err));
  }

  /**
   * After a start that timed out, a worker that registered the stream is answering it (and the stream
   * watchdog ends it if that worker dies); only a stream no worker holds gets the error.
   */
  private Future<Void> streamTakenAnyway(String streamId, Throwable err) {
    if (!(err instanceof ChorusException ce && ce.outcomeUnknown())) {
      return Future.failedFuture(err);
    }
    return streams.get(streamId).compose(state -> state != null ? Future.succeededFuture() : Future.failedFuture(err));
  }
}
