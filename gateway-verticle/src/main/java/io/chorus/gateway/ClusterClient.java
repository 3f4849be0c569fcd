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
import java.util.function.Function;

/**
 * The gateway's one hold of the clustered Vert.x: everything the gateway does in the cluster goes through
 * here, and nothing else of the gateway keeps that Vert.x. Requests and transfers are answered on the
 * context of the code that asked, so the edge's HTTP and bridge handlers never run on the cluster's threads
 * and never have to remember to hop back. Cluster maps, consumers and timers are for the parts that live on
 * the cluster side (presence, the room fan-out, session revocations); they run on cluster
 * threads, and those parts hand the edge their results on the caller's context themselves.
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
   * {@code op} on a cluster-wide map; completes on a cluster thread (a throw of the map, as Hazelcast's while
   * it shuts down, is a failed future).
   */
  public <K, V, T> Future<T> withMap(String name, Function<AsyncMap<K, V>, Future<T>> op) {
    return Futures.attempt(() -> clusterVertx.sharedData().<K, V>getAsyncMap(name).compose(op));
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

  /** The same outcome, delivered on the context of the code that asked (when it runs on one). */
  public static <T> Future<T> onCallerContext(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return future;
    }
    Promise<T> onCaller = Promise.promise();
    future.onComplete(ar -> caller.runOnContext(v -> onCaller.handle(ar)));
    return onCaller.future();
  }
}
