package io.chorus.llm;

import io.chorus.model.ChorusException;
import io.chorus.model.llm.CompletionAccepted;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.llm.StopResult;
import io.chorus.model.llm.StopStream;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM worker's logic behind {@code llm.completion.start} and its own stop address. A worker runs at
 * most {@code maxStreams} answers at once; beyond that, up to {@code queueSize} wait (registered in the
 * cluster, so they can be stopped, snapshotted and recovered like running ones), and beyond that a
 * request is refused with 503 at once so the room learns at once rather than after a timeout. A stream
 * id already known is accepted again without a second answer, so a retried request cannot double it.
 *
 * <p>Waiting answers are served per user, not first come first served ({@link FairQueue}): a freed slot
 * goes to the waiting user with the fewest answers running here, users with as many taking turns, so
 * one user's backlog never holds up another user's question. (How many answers one user may have at
 * all is bounded cluster-wide by the chat service, {@code AI_MAX_ACTIVE_PER_USER}.)
 *
 * <p>Confined to the verticle's context; not thread-safe.
 */
public final class CompletionRunner {
  private static final Logger log = LoggerFactory.getLogger(CompletionRunner.class);

  /** The tools of the assistant a request names (null: the worker's default), or null when it serves none such. */
  private final Function<String, StreamTools> toolsOf;
  private final int maxStreams;
  private final int queueSize;
  private final Map<String, StreamSession> known = new HashMap<>();
  private final FairQueue<String, StreamSession> waiting = new FairQueue<>();
  /** Answers running per user; users without one are absent. */
  private final Map<String, Integer> runningByUser = new HashMap<>();
  private int running;

  /** One assistant for every request. */
  CompletionRunner(StreamTools tools, int maxStreams, int queueSize) {
    this(assistantId -> tools, maxStreams, queueSize);
  }

  /**
   * Answers for several assistant profiles share this worker's slots and queue: per-user fairness and
   * capacity are the worker's, whichever assistant a question is for.
   */
  CompletionRunner(Function<String, StreamTools> toolsOf, int maxStreams, int queueSize) {
    this.toolsOf = toolsOf;
    this.maxStreams = maxStreams;
    this.queueSize = queueSize;
  }

  /** Accepts the stream once registered; it then always ends with a room event. */
  public Future<CompletionAccepted> start(StartCompletion request) {
    String streamId = request.streamId();
    CompletionAccepted accepted = new CompletionAccepted(streamId);
    if (known.containsKey(streamId)) {
      return Future.succeededFuture(accepted);
    }
    // Counted when accepted, not when registered: requests arriving together must not all see room.
    if (known.size() >= maxStreams + queueSize) {
      log.warn("conversation={} stream={} refused: {} running, {} waiting", request.conversationId(), streamId,
          running, waiting.size());
      return Future.failedFuture(ChorusException.unavailable("every assistant slot is busy"));
    }
    StreamTools tools = toolsOf.apply(request.assistantId());
    if (tools == null) {
      return Future.failedFuture(ChorusException.unavailable(
          "this worker does not serve the assistant '" + request.assistantId() + "'"));
    }
    StreamSession session = new StreamSession(request, tools);
    known.put(streamId, session);
    session.ended().onComplete(ar -> known.remove(streamId, session));
    return session.register()
        .onSuccess(v -> admit(session))
        .onFailure(err -> known.remove(streamId, session))
        .map(accepted);
  }

  private void admit(StreamSession session) {
    String user = userOf(session);
    if (running < maxStreams) {
      running++;
      runningByUser.merge(user, 1, Integer::sum);
      session.ended().onComplete(ar -> {
        running--;
        runningByUser.computeIfPresent(user, (u, n) -> n > 1 ? n - 1 : null);
        startNextWaiting();
      });
      session.run();
    } else {
      waiting.add(user, session);
      session.ended().onComplete(ar -> waiting.remove(user, session));
    }
  }

  private void startNextWaiting() {
    StreamSession next = waiting.poll(user -> runningByUser.getOrDefault(user, 0));
    if (next != null) {
      admit(next);
    }
  }

  /** Answers without a user on record (sent by an older chat node) share one key. */
  private static String userOf(StreamSession session) {
    String user = session.userId();
    return user == null ? "" : user;
  }

  /** Stops a stream this worker runs or holds; completes after its terminal event is published. */
  public Future<StopResult> stop(StopStream request) {
    StreamSession session = known.get(request.streamId());
    if (session == null) {
      return Future.failedFuture(ChorusException.notFound("no such stream"));
    }
    return session.stop(request.stoppedBy()).map(new StopResult(true));
  }

  /**
   * Completes when every stream this worker owns has ended (running ones finished, waiting ones run
   * and finished), or at once when it owns none; used to drain the worker before it stops.
   */
  public Future<Void> allEnded() {
    return Future.join(known.values().stream().map(StreamSession::ended).toList()).mapEmpty();
  }

  /** Answers being generated by this worker now. */
  public int activeStreams() {
    return running;
  }

  public int waitingStreams() {
    return waiting.size();
  }

  /**
   * Ends every answer it owns with {@code reason} (partial text kept), e.g. when the worker stops, so no
   * room waits for an answer that will never come. Completes when their final events are published.
   */
  public Future<Void> abortAll(String reason) {
    List<StreamSession> sessions = new ArrayList<>(known.values());
    waiting.clear();
    List<Future<Void>> ends = new ArrayList<>();
    for (StreamSession session : sessions) {
      ends.add(session.ended());
      session.abort(reason);
    }
    return Future.join(ends).mapEmpty();
  }
}
