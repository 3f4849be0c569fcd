package io.chorus.gateway;

import io.chorus.model.Bus;
import io.chorus.model.Endpoint;
import io.chorus.model.Futures;
import io.chorus.model.JsonRecord;
import io.chorus.model.files.FileTransfer;
import io.chorus.model.limits.SharedClaims;
import io.chorus.model.limits.SharedRateLimiter;
import io.chorus.model.ops.NodeOps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The gateway's one hold of the clustered Vert.x: everything the gateway does in the cluster goes through
 * here, and nothing else of the gateway keeps that Vert.x. Every future it returns (requests, transfers, map
 * operations, a consumer's registration) completes on the context of the code that asked, so the edge's HTTP and
 * bridge handlers never run on the cluster's threads and never have to remember to hop back, and the parts that
 * live on the cluster side (presence, the gateway lease, the room fan-out) get theirs on their cluster context.
 * What is not a future runs on cluster threads: a consumer's messages and the timers' handlers.
 */
public final class ClusterClient {
  private final Vertx clusterVertx;

  public ClusterClient(Vertx clusterVertx) {
    this.clusterVertx = clusterVertx;
  }

  public <Q extends JsonRecord, R extends JsonRecord> Future<R> request(Endpoint<Q, R> endpoint, Q request) {
    return onCallerContext(Futures.attempt(() -> Bus.request(clusterVertx.eventBus(), endpoint, request)));
  }

  /** With a timeout of its own, for a question that must not hold up its answer for long. */
  public <Q extends JsonRecord, R extends JsonRecord> Future<R> request(Endpoint<Q, R> endpoint, Q request,
      long timeoutMs) {
    return onCallerContext(Futures.attempt(() -> Bus.request(clusterVertx.eventBus(), endpoint, request, timeoutMs)));
  }

  /** To every consumer of {@code address} in the cluster; nothing waits for them. */
  public void publish(String address, JsonRecord event) {
    publish(address, event.toJson());
  }

  public void publish(String address, JsonObject event) {
    clusterVertx.eventBus().publish(address, event);
  }

  /** One step of a storage file transfer ({@link FileTransfer}): the reply's body, on the caller's context. */
  public Future<Object> transfer(String address, String session, String action, Object body) {
    return onCallerContext(Futures.attempt(() -> FileTransfer.<Object>request(clusterVertx.eventBus(), address,
        session, action, body)).map(Message::body));
  }

  /** A consumer on the clustered bus; its messages arrive on a cluster context. */
  public <T> MessageConsumer<T> consumer(String address, Handler<Message<T>> handler) {
    return clusterVertx.eventBus().consumer(address, handler);
  }

  /**
   * {@code op} on a cluster-wide map, its outcome on the caller's context (a throw of the map, as Hazelcast's
   * while it shuts down, is a failed future).
   */
  public <K, V, T> Future<T> withMap(String name, Function<AsyncMap<K, V>, Future<T>> op) {
    return onCallerContext(Futures.attempt(() -> clusterVertx.sharedData().<K, V>getAsyncMap(name).compose(op)));
  }

  /** Completes, on the caller's context, when {@code consumer} (from {@link #consumer}) is registered cluster-wide. */
  public Future<Void> registered(MessageConsumer<?> consumer) {
    return onCallerContext(consumer.completion());
  }

  /** Limits that hold across the cluster; their outcomes complete on the caller's context. */
  public SharedRateLimiter.Factory limits() {
    return SharedRateLimiter.of(clusterVertx);
  }

  /** Keys claimed once for the whole cluster, in the map {@code mapName}; outcomes on the caller's context. */
  public SharedClaims claims(String mapName) {
    return SharedClaims.of(clusterVertx, mapName);
  }

  /** The cluster context Vert.x gives the calling thread (a new one for an edge thread). */
  public Context context() {
    return clusterVertx.getOrCreateContext();
  }

  public long setTimer(long delayMs, Handler<Long> handler) {
    return clusterVertx.setTimer(delayMs, handler);
  }

  public long setPeriodic(long periodMs, Handler<Long> handler) {
    return clusterVertx.setPeriodic(periodMs, handler);
  }

  public boolean cancelTimer(long timerId) {
    return clusterVertx.cancelTimer(timerId);
  }

  /** This node's health checks and metrics registry. */
  public NodeOps ops() {
    return NodeOps.of(clusterVertx);
  }

  /** This node's readiness checks ({@link NodeOps#ready}), their outcome on the caller's context. */
  public Future<JsonObject> readiness() {
    return onCallerContext(Futures.attempt(() -> ops().ready()));
  }

  /**
   * The same outcome, delivered on the context of the code that asked (when it runs on one): what every future
   * of this client does.
   *
   * <p>Why public: {@code bridge.Presence} hands the edge a future it did not get from here as it is. Its
   * per-user chain of cluster changes starts each change where the one before it ended, an edge thread or,
   * after the lease's {@code announceAgain}, a cluster thread; so the change a socket waits for may end on a
   * cluster thread, and Presence hands it over with this. Everything else gets its futures from the methods
   * above, already on its context.
   */
  public static <T> Future<T> onCallerContext(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return future;
    }
    Promise<T> onCaller = Promise.promise();
    future.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        onCaller.handle(ar); // already there (a cluster-side part asking on its own cluster context)
        return;
      }
      try {
        caller.runOnContext(v -> onCaller.handle(ar));
      } catch (RejectedExecutionException closed) {
        // The caller's Vert.x has closed (the edge, while a presence change it started was in flight at a
        // graceful stop): nothing runs on that context any more, so the outcome is delivered here, not lost.
        onCaller.handle(ar);
      }
    });
    return onCaller.future();
  }
}
