package io.chorus.chat;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.chat.HistoryReply;
import io.chorus.model.chat.HistoryRequest;
import io.chorus.model.chat.SendMessage;
import io.chorus.model.chat.SendResult;
import io.chorus.model.chat.TypingUpdate;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.llm.StopResult;
import io.chorus.model.llm.StopStream;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.streams.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation logic: validates and stores messages, announces them to the room, hands questions to
 * the assistant, relays typing and serves history. Storage enforces membership in the same round trip
 * as the append, so a send costs one database transaction.
 */
final class ChatService {
  private static final Logger log = LoggerFactory.getLogger(ChatService.class);
  /** Tries to start an answer on up to this many workers. */
  private static final int START_ATTEMPTS = 3;

  private final ChatConfig config;
  private final ChatPorts ports;
  private final RateLimiter typingLimiter;
  private final StreamRegistry streams;
  private final StreamEnder ender;

  ChatService(ChatConfig config, ChatPorts ports, RateLimiter typingLimiter, StreamRegistry streams) {
    this.config = config;
    this.ports = ports;
    this.typingLimiter = typingLimiter;
    this.streams = streams;
    this.ender = new StreamEnder(streams, ports);
  }

  Future<SendResult> send(SendMessage request) {
    validateText(request.text());
    String clientMsgId = request.clientMsgId();
    if (clientMsgId != null && (clientMsgId.isBlank() || clientMsgId.length() > config.maxClientMsgIdLength())) {
      throw ChorusException.badRequest(
          "clientMsgId must be 1.." + config.maxClientMsgIdLength() + " characters");
    }
    if (clientMsgId != null && clientMsgId.indexOf('\u0000') >= 0) {
      throw ChorusException.badRequest("clientMsgId must not contain NUL characters");
    }
    AppendMessage append =
        AppendMessage.user(request.conversationId(), request.userId(), request.text(), clientMsgId);
    return ports.append(append).map(result -> {
      StoredMessage stored = result.message();
      if (!result.duplicate()) {
        ports.publish(stored.conversationId(), stored.toEvent());
        if (request.ai()) {
          askAssistant(stored);
        }
      }
      return new SendResult(stored.messageId(), stored.seq());
    });
  }

  private void validateText(String text) {
    int length = text.codePointCount(0, text.length());
    if (text.isBlank()) {
      throw ChorusException.badRequest("text must not be empty");
    }
    if (length > config.maxTextLength()) {
      throw ChorusException.badRequest("text is longer than " + config.maxTextLength() + " characters");
    }
    if (text.indexOf('\u0000') >= 0) {
      throw ChorusException.badRequest("text must not contain NUL characters"); // PostgreSQL text cannot hold one
    }
  }

  /**
   * Announces the stream before any worker can emit a chunk for it, then hands it to a worker. If no
   * worker takes it the room gets an error at once instead of waiting in ai_thinking forever.
   */
  private void askAssistant(StoredMessage question) {
    String conversationId = question.conversationId();
    String streamId = UUID.randomUUID().toString();
    ports.publish(conversationId, RoomEvents.aiThinking(conversationId, streamId, question.messageId()));
    startCompletion(new StartCompletion(conversationId, streamId, question.messageId(), question.userId()),
        START_ATTEMPTS)
        .recover(err -> streamTakenAnyway(streamId, err))
        .onFailure(err -> {
          log.warn("conversation={} stream={}: no assistant took the question: {}", conversationId, streamId,
              err.getMessage());
          int code = err instanceof ChorusException ce ? ce.code().code() : ErrorCode.UNAVAILABLE.code();
          ports.publish(conversationId,
              RoomEvents.aiError(conversationId, streamId, code, "the assistant is unavailable", null));
        });
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

  Future<Void> typing(TypingUpdate update) {
    if (!typingLimiter.tryAcquire(update.userId())) {
      return Future.failedFuture(new ChorusException(ErrorCode.RATE_LIMITED, "typing updates are rate limited"));
    }
    return ports.checkMember(new MemberRef(update.conversationId(), update.userId()))
        .onSuccess(v -> ports.publish(update.conversationId(), RoomEvents.userTyping(
            update.conversationId(), update.userId(), update.username(), update.isTyping())));
  }

  Future<HistoryReply> history(HistoryRequest request) {
    if (request.afterSeq() != null && request.beforeSeq() != null) {
      throw ChorusException.badRequest("give afterSeq or beforeSeq, not both");
    }
    int limit = request.limit() == null ? HistoryQuery.DEFAULT_LIMIT : request.limit();
    if (limit < 1 || limit > HistoryQuery.MAX_LIMIT) {
      throw ChorusException.badRequest("limit must be 1.." + HistoryQuery.MAX_LIMIT);
    }
    HistoryQuery query = new HistoryQuery(
        request.conversationId(), request.userId(), request.afterSeq(), request.beforeSeq(), limit);
    // Streams are read after the page: an answer that ends in between is then live for the reader,
    // who registered before asking, rather than missing from both.
    return ports.history(query).compose(page -> streams.ofConversation(request.conversationId()).map(running -> {
      JsonArray events = new JsonArray();
      page.messages().forEach(m -> events.add(m.toEvent()));
      JsonArray snapshots = new JsonArray();
      running.forEach(stream -> snapshots.add(stream.snapshot()));
      return new HistoryReply(events, page.lastSeq(), snapshots);
    }));
  }

  /**
   * Stops an answer for a member: asks the worker that owns it, or, when that worker is gone, ends the
   * stream here with the text that reached the room.
   */
  Future<StopResult> stop(StopStream request) {
    return ports.checkMember(new MemberRef(request.conversationId(), request.userId()))
        .compose(member -> streams.get(request.streamId()))
        .compose(state -> {
          if (state == null || !state.conversationId().equals(request.conversationId())) {
            return Future.failedFuture(ChorusException.notFound("no such stream"));
          }
          return ports.stopOnWorker(state.workerId(), request).recover(err -> stopWithoutWorker(request, err));
        });
  }

  private Future<StopResult> stopWithoutWorker(StopStream request, Throwable workerFailure) {
    if (workerFailure instanceof ChorusException ce && ce.code() != ErrorCode.UNAVAILABLE) {
      return Future.failedFuture(workerFailure);
    }
    // Nothing to claim: the stream ended meanwhile (its worker may have carried out this very stop and
    // answered too late), and its ending is published. Not a 404: the stream was there a moment ago.
    return streams.claim(request.streamId()).compose(state -> state == null
        ? Future.succeededFuture(new StopResult(false))
        : ender.endCancelled(state).map(new StopResult(true)));
  }

  /** Ends the streams of workers that died; run periodically by the verticle. */
  Future<Void> endOrphanedStreams() {
    return ender.endOrphans();
  }
}
