package io.chorus.llm;

import io.chorus.model.ChorusException;
import io.chorus.model.Timers;
import io.chorus.model.llm.CompletionAccepted;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.llm.StopResult;
import io.chorus.model.llm.StopStream;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM worker's logic behind {@code llm.completion.start} and its own stop address. An answer starts at
 * once when its assistant profile's provider limits allow another request ({@link ProviderLimiter}: requests
 * at once, requests and tokens per minute, per key) and the worker runs fewer than {@code maxStreams}; otherwise
 * it waits, up to {@code queueSize} answers on the worker (registered in the cluster, so they can be stopped,
 * snapshotted and recovered like running ones), and beyond that a request is refused with 503 at once so the
 * room learns at once rather than after a timeout. An answer waiting for a rate (not for an answer to end)
 * is started by a timer when the rate allows it. A stream id already known is accepted again without a
 * second answer, so a retried request cannot double it.
 *
 * <p>Waiting answers are served per user, not first come first served ({@link FairQueue}, one per profile):
 * a freed slot goes to the waiting user with the fewest answers running here, users with as many taking
 * turns, so one user's backlog never holds up another user's question. (How many answers one user may have
 * at all is bounded cluster-wide by the chat service, {@code AI_MAX_ACTIVE_PER_USER}.)
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
  /** Answers waiting, per profile (its limiter), in the order profiles take turns for the worker's slots. */
  private final Map<ProviderLimiter, FairQueue<String, StreamSession>> waiting = new LinkedHashMap<>();
  /** Answers accepted to wait, per profile: those in its queue and those still registering. */
  private final Map<ProviderLimiter, Integer> waitingByProfile = new HashMap<>();
  /** Answers running per user; users without one are absent. */
  private final Map<String, Integer> runningByUser = new HashMap<>();
  private int running;
  private int waitingTotal;
  private Timers timers;
  private Runnable cancelRecheck;

  /** One assistant for every request. */
  CompletionRunner(StreamTools tools, int maxStreams, int queueSize) {
    this(assistantId -> tools, maxStreams, queueSize);
  }

  /**
   * Answers for several assistant profiles share this worker's slots and queue: per-user fairness and
   * capacity are the worker's, whichever assistant a question is for; each profile's provider limits are its own.
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
    StreamTools tools = toolsOf.apply(request.assistantId());
    if (tools == null) {
      return Future.failedFuture(ChorusException.unavailable(
          "this worker does not serve the assistant '" + request.assistantId() + "'"));
    }
    timers = tools.scheduler();
    ProviderLimiter limiter = tools.limiter();
    // Decided when accepted, not when registered: requests arriving together must not all see room. An answer
    // runs at once only if none of its profile waits, so it never goes ahead of a waiting one.
    boolean runNow = running < maxStreams && waitingByProfile.getOrDefault(limiter, 0) == 0 && limiter.tryStart();
    if (!runNow && waitingTotal >= queueSize) {
      log.warn("conversation={} stream={} refused: {} running, {} waiting (provider limits {})",
          request.conversationId(), streamId, running, waitingTotal, limiter.limits());
      return Future.failedFuture(ChorusException.unavailable("every assistant slot is busy"));
    }
    StreamSession session = new StreamSession(request, tools);
    known.put(streamId, session);
    session.ended().onComplete(ar -> known.remove(streamId, session));
    String user = userOf(session);
    if (runNow) {
      holdSlot(user);
    } else {
      waitingTotal++;
      waitingByProfile.merge(limiter, 1, Integer::sum);
    }
    return session.register()
        .onSuccess(v -> {
          if (runNow) {
            run(session, limiter);
          } else {
            enqueue(session, limiter);
          }
        })
        .onFailure(err -> {
          known.remove(streamId, session);
          if (runNow) {
            releaseSlot(user);
            limiter.abandon();
            startWaiting();
          } else {
            leaveQueue(limiter);
          }
        })
        .map(accepted);
  }

  private void holdSlot(String user) {
    running++;
    runningByUser.merge(user, 1, Integer::sum);
  }

  private void releaseSlot(String user) {
    running--;
    runningByUser.computeIfPresent(user, (u, n) -> n > 1 ? n - 1 : null);
  }

  /** Runs a session that holds a slot of the worker's and a request of its profile's. */
  private void run(StreamSession session, ProviderLimiter limiter) {
    session.ended().onComplete(ar -> {
      releaseSlot(userOf(session));
      limiter.finished(session.usedTokens());
      startWaiting();
    });
    session.run();
  }

  private void enqueue(StreamSession session, ProviderLimiter limiter) {
    String user = userOf(session);
    FairQueue<String, StreamSession> queue = waiting.computeIfAbsent(limiter, l -> new FairQueue<>());
    queue.add(user, session);
    session.ended().onComplete(ar -> {
      if (queue.remove(user, session)) {
        leaveQueue(limiter); // stopped or aborted while it waited
      }
    });
    startWaiting();
  }

  private void leaveQueue(ProviderLimiter limiter) {
    waitingTotal--;
    waitingByProfile.computeIfPresent(limiter, (l, n) -> n > 1 ? n - 1 : null);
  }

  /**
   * Starts waiting answers while the worker has slots and their profiles' limits allow, the profiles taking
   * turns; when some wait only for a rate to refill, a timer comes back for them.
   */
  private void startWaiting() {
    if (cancelRecheck != null) {
      cancelRecheck.run();
      cancelRecheck = null;
    }
    boolean started = true;
    while (started && running < maxStreams) {
      started = false;
      for (ProviderLimiter limiter : List.copyOf(waiting.keySet())) {
        FairQueue<String, StreamSession> queue = waiting.get(limiter);
        if (running >= maxStreams || queue.size() == 0 || !limiter.tryStart()) {
          continue;
        }
        StreamSession next = queue.poll(user -> runningByUser.getOrDefault(user, 0));
        leaveQueue(limiter);
        waiting.remove(limiter); // to the back of the profiles' turns
        waiting.put(limiter, queue);
        holdSlot(userOf(next));
        run(next, limiter);
        started = true;
      }
    }
    long soonest = ProviderLimiter.UNTIL_ONE_ENDS;
    for (Map.Entry<ProviderLimiter, FairQueue<String, StreamSession>> entry : waiting.entrySet()) {
      if (entry.getValue().size() > 0) {
        soonest = Math.min(soonest, entry.getKey().waitMillis());
      }
    }
    if (soonest != ProviderLimiter.UNTIL_ONE_ENDS && running < maxStreams && timers != null) {
      cancelRecheck = timers.schedule(Math.max(1, soonest), () -> {
        cancelRecheck = null;
        startWaiting();
      });
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
    return waitingTotal;
  }

  /**
   * Ends every answer it owns with {@code reason} (partial text kept), e.g. when the worker stops, so no
   * room waits for an answer that will never come. Completes when their final events are published.
   */
  public Future<Void> abortAll(String reason) {
    List<StreamSession> sessions = new ArrayList<>(known.values());
    // Nothing waiting may start now; the aborted ones leave no count behind.
    waiting.values().forEach(FairQueue::clear);
    waitingByProfile.clear();
    waitingTotal = 0;
    List<Future<Void>> ends = new ArrayList<>();
    for (StreamSession session : sessions) {
      ends.add(session.ended());
      session.abort(reason);
    }
    return Future.join(ends).mapEmpty();
  }
}
