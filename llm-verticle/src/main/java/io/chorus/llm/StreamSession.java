package io.chorus.llm;

import io.chorus.llm.provider.ChatProvider;
import io.chorus.llm.provider.ChatTurn;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.Futures;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UserInfo;
import io.chorus.model.streams.StreamEndings;
import io.chorus.model.streams.StreamOutcome;
import io.chorus.model.streams.StreamRegistry;
import io.chorus.model.streams.StreamState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One answer from start to its final room event: registers the stream in the cluster's
 * {@link StreamRegistry}, loads the context, streams the provider's deltas to the room as
 * {@code ai_response_chunk} (index 0, 1, 2...) while recording the text so far, then stores the answer
 * and publishes {@code ai_response_complete}; a stop ends it as {@code cancelled} with the partial text
 * kept; any failure publishes {@code ai_response_error}, with the partial text stored when some reached
 * the room. The final event is published only after claiming the stream in the registry, so it is
 * published exactly once even if a watchdog ended the stream meanwhile.
 *
 * <p>Confined to one Vert.x context (the provider calls back on it); not thread-safe.
 */
final class StreamSession {
  private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
  private static final int ERROR_CODE = ErrorCode.UNAVAILABLE.code();

  private enum Phase { LOADING, STREAMING, FINISHING, DONE }

  private final StartCompletion request;
  private final ChatProvider provider;
  private final ConversationPort port;
  private final ContextBuilder context;
  private final StreamRegistry registry;
  private final ChunkPipeline chunks;
  private final Promise<Void> done = Promise.promise();
  private final StreamMeters meters;
  private Phase phase = Phase.LOADING;
  /** When the provider was asked; 0 once its first text arrived. */
  private long askedAt;
  private ChatProvider.Handle handle;
  /** What the answer used, once it ended; null before. */
  private Usage usage;

  StreamSession(StartCompletion request, StreamTools tools) {
    this.request = request;
    this.provider = tools.provider();
    this.port = tools.port();
    this.context = tools.context();
    this.registry = tools.registry();
    this.chunks = new ChunkPipeline(StreamState.started(request, tools.workerId()), registry,
        event -> publish(event), tools.chunkWindowMs(), tools.scheduler(), this::claimedElsewhere, tools.meters());
    this.meters = tools.meters();
  }

  /** Makes the stream known to the cluster (snapshots, stop, the watchdog) before it runs or waits. */
  Future<Void> register() {
    return registry.register(chunks.state());
  }

  /** Starts generating; a stream stopped while it waited for a free slot does not start. */
  void run() {
    if (phase != Phase.LOADING) {
      return;
    }
    log.info("conversation={} stream={} answering message {}", request.conversationId(), request.streamId(),
        request.replyTo());
    Futures.attempt(() -> port.messagesUpTo(request.conversationId(), request.replySeq(),
        context.maxMessages())).onComplete(ar -> {
      if (phase != Phase.LOADING) {
        return; // stopped or aborted while loading
      }
      if (ar.failed()) {
        fail("could not read the conversation", ar.cause());
      } else {
        stream(context.build(ar.result(), request.replyTo()));
      }
    });
  }

  /** Completes once the final event has been published (or another node ended the stream). */
  Future<Void> ended() {
    return done.future();
  }

  String streamId() {
    return request.streamId();
  }

  /** Prompt and answer tokens used (the provider's count, else the estimate): what its key's minute budget pays. */
  long usedTokens() {
    Usage used = usage != null ? usage : estimatedUsage();
    return (long) used.promptTokens() + used.completionTokens();
  }

  /** Who asked, or null when the request did not say. */
  String userId() {
    return request.userId();
  }

  /** Ends the answer now as failed (the worker is shutting down). */
  void abort(String reason) {
    fail(reason, null);
  }

  /**
   * A member ({@code by}; null when the request named nobody) pressed Stop: the provider request is aborted and
   * the partial text kept as cancelled, saying who stopped it.
   */
  Future<Void> stop(UserInfo by) {
    if (phase == Phase.LOADING || phase == Phase.STREAMING) {
      phase = Phase.FINISHING;
      cancelProvider();
      chunks.afterAllSent(() -> {
        log.info("conversation={} stream={} stopped after {} chunks", request.conversationId(),
            request.streamId(), chunks.chunksSent());
        meters.ended(FinishReason.CANCELLED.wireName());
        end(StreamOutcome.stopped(estimatedUsage(), by));
      });
    }
    return done.future();
  }

  private void stream(List<ChatTurn> turns) {
    chunks.promptChars(turns.stream().mapToInt(turn -> turn.content().length()).sum());
    phase = Phase.STREAMING;
    askedAt = System.nanoTime();
    try {
      handle = provider.stream(turns, new ChatProvider.Listener() {
        @Override
        public void onDelta(String delta) {
          StreamSession.this.onDelta(delta);
        }

        @Override
        public void onEnd(String finishReason, Usage usage) {
          StreamSession.this.onEnd(finishReason, usage);
        }

        @Override
        public void onError(Throwable error) {
          fail(error instanceof ChorusException ce ? ce.getMessage() : "the answer failed", error);
        }
      });
    } catch (RuntimeException e) {
      fail("the answer failed", e);
    }
  }

  /** Someone else ended this stream (a watchdog took this worker for dead): stop without a word. */
  private void claimedElsewhere() {
    if (phase == Phase.LOADING || phase == Phase.STREAMING) {
      log.warn("conversation={} stream={} was ended elsewhere after {} chunks; stopping the provider",
          request.conversationId(), request.streamId(), chunks.chunksSent());
      phase = Phase.FINISHING;
      cancelProvider();
      meters.ended("taken_over");
      finished();
    }
  }

  private void onDelta(String delta) {
    if (phase != Phase.STREAMING || delta == null || delta.isEmpty()) {
      return;
    }
    if (askedAt != 0) {
      meters.firstToken(System.nanoTime() - askedAt);
      askedAt = 0;
    }
    chunks.add(delta);
  }

  private void onEnd(String finishReason, Usage reported) {
    if (phase != Phase.STREAMING) {
      return;
    }
    if (chunks.text().isEmpty()) {
      fail("the model returned an empty answer", null);
      return;
    }
    phase = Phase.FINISHING;
    chunks.afterAllSent(() -> finish(FinishReason.ofProvider(finishReason), reported));
  }

  /** Stores the answer (complete or cancelled) and publishes ai_response_complete. */
  private void finish(FinishReason reason, Usage reported) {
    meters.ended(reason.wireName());
    usage = reported != null ? reported : estimatedUsage();
    end(StreamOutcome.finished(reason, usage));
  }

  /** Ends the answer with {@code message} (short, shown to members); keeps the partial text if any. */
  private void fail(String message, Throwable cause) {
    if (phase == Phase.FINISHING || phase == Phase.DONE) {
      return;
    }
    phase = Phase.FINISHING;
    cancelProvider();
    meters.ended("failed");
    log.warn("conversation={} stream={} failed after {} chunks: {}{}", request.conversationId(), request.streamId(),
        chunks.chunksSent(), message, cause == null || cause instanceof ChorusException ? "" : " (" + cause + ")");
    chunks.afterAllSent(() -> end(StreamOutcome.failed(ERROR_CODE, message, estimatedUsage())));
  }

  /**
   * Once every chunk is out: claims the stream, stores what the outcome keeps of the text that reached
   * the room and publishes the one final event ({@link StreamEndings}, shared with chat's ender).
   */
  private void end(StreamOutcome outcome) {
    claimThen(() -> StreamEndings.end(chunks.state(), outcome, port::append).onComplete(ar -> {
      StreamEndings.Ending ending = ar.result(); // never fails
      int chars = chunks.state().text().length();
      if (ending.storeFailure() != null) {
        log.warn("conversation={} stream={} answer of {} chars could not be stored: {}", request.conversationId(),
            request.streamId(), chars, ending.storeFailure().getMessage());
      } else if (ending.stored() != null) {
        log.info("conversation={} stream={} {}: seq {}, {} chunks, {} chars, usage {}", request.conversationId(),
            request.streamId(), ending.stored().finishReason(), ending.stored().seq(), chunks.chunksSent(), chars,
            outcome.usage());
      }
      publish(ending.event());
      finished();
    }));
  }

  /**
   * Runs the final step only if this session still owns the stream. When the registry cannot be reached
   * the session ends the stream anyway: a final event twice is better than none.
   */
  private void claimThen(Runnable finalStep) {
    registry.claim(request.streamId()).onComplete(ar -> {
      if (ar.succeeded() && ar.result() == null) {
        log.info("conversation={} stream={} was already ended elsewhere", request.conversationId(),
            request.streamId());
        finished();
      } else {
        finalStep.run();
      }
    });
  }

  private void cancelProvider() {
    if (handle != null) {
      handle.cancel();
    }
  }

  /** Tokens are roughly four characters of English text; good enough when the provider reports none. */
  private Usage estimatedUsage() {
    return Usage.estimated(chunks.state().promptChars(), chunks.text().length());
  }

  private void publish(JsonObject event) {
    try {
      port.publish(request.conversationId(), event);
    } catch (RuntimeException e) {
      log.warn("conversation={} stream={} could not publish {}: {}", request.conversationId(), request.streamId(),
          event.getString("type"), e.toString());
    }
  }

  private void finished() {
    phase = Phase.DONE;
    done.tryComplete();
  }
}
