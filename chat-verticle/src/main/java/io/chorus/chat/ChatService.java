package io.chorus.chat;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.RateLimiter;
import io.chorus.model.chat.HistoryReply;
import io.chorus.model.chat.HistoryRequest;
import io.chorus.model.chat.RegenerateAnswer;
import io.chorus.model.chat.SendMessage;
import io.chorus.model.chat.SendResult;
import io.chorus.model.chat.TypingUpdate;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.limits.SharedRateLimiter;
import io.chorus.model.llm.StopResult;
import io.chorus.model.llm.StopStream;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.MessageRef;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.streams.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The conversation logic: validates and stores messages, announces them to the room, hands questions to
 * the assistant, relays typing and serves history. Storage enforces membership in the same round trip
 * as the append, so a send costs one database transaction.
 *
 * <p>What one user may ask is bounded, each beyond its limit refused with 429 before anything is stored:
 * messages per second and questions to the assistant per minute (one token bucket per user for the whole cluster,
 * {@link SharedRateLimiter}, so N chat nodes do not give N times the limit), and answers running or waiting at
 * once (slots in the cluster's {@link StreamRegistry}, so the bound holds across every chat node and LLM worker).
 * When the limits cannot be reached the request is refused with 503, not let through. A question is refused whole:
 * no message without its answer.
 * Asking the assistant itself is {@link AssistantAsker}'s, whatever the reason to ask: a question, a message where
 * the assistant answers every message, or a regenerate.
 */
final class ChatService {
  private final ChatConfig config;
  private final ChatPorts ports;
  /**
   * Typing stays a bucket on this node: an update is a hint that lives a few seconds, refused ones cost a room
   * nothing lasting, and checking each keystroke's update with the cluster would cost more than it protects.
   * With N chat nodes a user can send up to N times the typing rate.
   */
  private final RateLimiter typingLimiter;
  private final SharedRateLimiter messageLimiter;
  private final SharedRateLimiter questionLimiter;
  private final StreamRegistry streams;
  private final StreamEnder ender;
  private final AssistantAsker asker;

  /** With this node's buckets only (unit tests). */
  ChatService(ChatConfig config, ChatPorts ports, StreamRegistry streams, LongSupplier nanoClock) {
    this(config, ports, streams, SharedRateLimiter.local(nanoClock), nanoClock);
  }

  ChatService(ChatConfig config, ChatPorts ports, StreamRegistry streams, SharedRateLimiter.Factory limits,
      LongSupplier nanoClock) {
    this.config = config;
    this.ports = ports;
    this.typingLimiter = new RateLimiter(config.typingPerSecond(), config.typingBurst(), nanoClock);
    this.messageLimiter = limits.create("chat-messages", config.messagesPerSecond(), config.messagesBurst(),
        messageGrant(config));
    // Questions are rare and each costs an answer: every one asks the cluster (a grant of 1, exact).
    this.questionLimiter = limits.perMinute("chat-questions", config.aiQuestionsPerMinute(), 1);
    this.streams = streams;
    this.ender = new StreamEnder(streams, ports, config.assistants());
    this.asker = new AssistantAsker(config, ports, streams);
  }

  /**
   * How many message tokens a chat node takes from a user's cluster bucket at once: messages are the hot path
   * (thousands a second in the bench), and one Hazelcast operation each would cost CPU there. A quarter of the
   * burst at most, so other nodes are not starved, and no more than a second's rate, so what a node holds for a
   * user who moved on (at most this minus one, given back after a second) stays small.
   */
  static int messageGrant(ChatConfig config) {
    return Math.max(1, Math.min(config.messagesBurst() / 4, (int) Math.ceil(config.messagesPerSecond())));
  }

  /** Forgets users whose typing limit has refilled; run periodically so the buckets do not pile up. */
  void evictIdleLimits() {
    typingLimiter.evictIdle();
  }

  /** Gives back message tokens held on this node for users idle a second; run every second. */
  void evictIdleGrants() {
    messageLimiter.evictIdle();
    questionLimiter.evictIdle();
  }

  /** The limiter's answer; a limiter that cannot be reached refuses with 503 rather than letting everything by. */
  private static Future<Boolean> allowed(Future<Boolean> take) {
    return take.recover(err -> Future.failedFuture(
        ChorusException.unavailable("the rate limits cannot be checked now; try again")));
  }

  private ChorusException tooManyQuestions() {
    return new ChorusException(ErrorCode.RATE_LIMITED, "too many questions to the assistant: at most "
        + config.aiQuestionsPerMinute() + " a minute; wait a moment and ask again");
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
    return allowed(messageLimiter.tryAcquire(request.userId())).compose(messageAllowed -> {
      if (!messageAllowed) {
        throw new ChorusException(ErrorCode.RATE_LIMITED, "too many messages: at most "
            + formatRate(config.messagesPerSecond()) + " a second (bursts of " + config.messagesBurst()
            + "); wait a moment and send again");
      }
      if (!request.ai()) {
        return ports.append(append).compose(result -> {
          StoredMessage stored = result.message();
          if (result.duplicate()) {
            return Future.succeededFuture(new SendResult(stored.messageId(), stored.seq()));
          }
          ports.publish(stored.conversationId(), stored.toEvent());
          return result.answersEveryMessage() ? askAfterStoring(result, request.userId())
              : Future.succeededFuture(new SendResult(stored.messageId(), stored.seq()));
        });
      }
      return allowed(questionLimiter.tryAcquire(request.userId())).compose(questionAllowed -> {
        if (!questionAllowed) {
          throw tooManyQuestions();
        }
        return askAndStore(request, append);
      });
    });
  }

  /**
   * Takes one of the user's answer slots, then stores the question and hands it to a worker. The slot
   * is taken first so an over-limit question is refused before it is stored; it is given back when the
   * question is not stored, was a resend, or no worker took it, and otherwise when the stream ends.
   */
  private Future<SendResult> askAndStore(SendMessage request, AppendMessage append) {
    String userId = request.userId();
    String streamId = UUID.randomUUID().toString();
    // A question refused because the user's answers are all running was neither stored nor asked, so it uses up
    // none of the user's message and question rates (a retry while waiting costs nothing).
    return asker.reserve(userId, streamId, () -> {
      messageLimiter.refund(userId);
      questionLimiter.refund(userId);
    })
        .compose(reserved -> ports.append(append).onFailure(err -> asker.release(userId, streamId)))
        .compose(result -> {
          StoredMessage stored = result.message();
          if (result.duplicate()) {
            asker.release(userId, streamId);
            return Future.succeededFuture(new SendResult(stored.messageId(), stored.seq()));
          }
          ports.publish(stored.conversationId(), stored.toEvent());
          return asker.ask(stored, userId, streamId, result.conversationAssistant())
              .map(thinking -> new SendResult(stored.messageId(), stored.seq(), thinking));
        });
  }

  /**
   * A member's message in a conversation whose assistant answers every message, asked as a question with a
   * question's limits. Only the append says whether the conversation is such a one (no read of it on every
   * send), so the message is stored already: over a limit it stays a plain message, and the reply's
   * {@code aiRefused} says why no answer comes, with the code a question would have got.
   */
  private Future<SendResult> askAfterStoring(AppendResult appended, String userId) {
    StoredMessage stored = appended.message();
    String streamId = UUID.randomUUID().toString();
    return allowed(questionLimiter.tryAcquire(userId)).compose(questionAllowed -> {
      if (!questionAllowed) {
        return Future.succeededFuture(SendResult.notAsked(stored.messageId(), stored.seq(),
            ErrorCode.RATE_LIMITED.code(), "too many questions to the assistant: at most "
                + config.aiQuestionsPerMinute() + " a minute; this message was not asked"));
      }
      return asker.reserve(userId, streamId, () -> questionLimiter.refund(userId))
          .compose(reserved -> asker.ask(stored, userId, streamId, appended.conversationAssistant()))
          .map(thinking -> new SendResult(stored.messageId(), stored.seq(), thinking));
    }).recover(err -> err instanceof ChorusException refused
        ? Future.succeededFuture(SendResult.notAsked(stored.messageId(), stored.seq(), refused.code().code(),
            refused.getMessage() + " (this message was not asked)"))
        : Future.failedFuture(err));
  }

  /**
   * Asks the assistant again (regenerate): {@code messageId} is a user's question, or an answer whose question is
   * asked again. The new answer is a new message; the question is not stored again. It is a question to the
   * assistant like any other for the limits: one of the caller's questions a minute and one of their answer
   * slots (429 beyond either). 403 non-member, 404 a message not in the conversation, 400 a message that is
   * neither a question nor an answer (a file, a notice).
   */
  Future<SendResult> regenerate(RegenerateAnswer request) {
    String userId = request.userId();
    return questionOf(request).compose(question -> allowed(questionLimiter.tryAcquire(userId))
        .compose(questionAllowed -> {
          if (!questionAllowed) {
            throw tooManyQuestions();
          }
          String streamId = UUID.randomUUID().toString();
          return asker.reserve(userId, streamId, () -> questionLimiter.refund(userId))
              .compose(reserved -> asker.lookUpAssistantAndAsk(question, userId, streamId))
              .map(thinking -> new SendResult(question.messageId(), question.seq(), thinking));
        }));
  }

  /** The question a regenerate asks again: the message itself, or the question an answer replied to. */
  private Future<StoredMessage> questionOf(RegenerateAnswer request) {
    return ports.message(new MessageRef(request.conversationId(), request.messageId(), request.userId()))
        .compose(message -> {
          if (RegenerateRules.isQuestion(message)) {
            return Future.succeededFuture(message);
          }
          if (!RegenerateRules.isAnswer(message)) {
            return Future.failedFuture(ChorusException.badRequest(
                "only a user's message or an assistant's answer can be answered again"));
          }
          return ports.message(new MessageRef(request.conversationId(), message.replyTo(), request.userId()))
              .compose(question -> RegenerateRules.isQuestion(question) ? Future.succeededFuture(question)
                  : Future.failedFuture(ChorusException.badRequest("this answer's question cannot be asked again")));
        });
  }

  private static String formatRate(double perSecond) {
    return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
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
    HistoryQuery query = HistoryQuery.forMember(
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
        : ender.endCancelled(state, request.stoppedBy()).map(new StopResult(true)));
  }

  /** Ends the streams of workers that died; run periodically by the verticle. */
  Future<Void> endOrphanedStreams() {
    return ender.endOrphans();
  }
}
