package io.chorus.gateway;

import io.chorus.model.Bus;
import io.chorus.model.Endpoint;
import io.chorus.model.Futures;
import io.chorus.model.JsonRecord;
import io.chorus.model.files.FileTransfer;
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
 * the cluster side ({@link Presence}, {@link RoomFanout}, {@link SessionRevocations}); they run on cluster
 * threads, and those parts hand the edge their results on the caller's context themselves.
 */
final class ClusterClient {
  private final Vertx clusterVertx;

  ClusterClient(Vertx clusterVertx) {
    this.clusterVertx = clusterVertx;
  }

  <Q extends JsonRecord, R extends JsonRecord> Future<R> request(Endpoint<Q, R> endpoint, Q request) {
    return onCallerContext(Futures.attempt(() -> Bus.request(clusterVertx.eventBus(), endpoint, request)));
  }

  /** To every consumer of {@code address} in the cluster; nothing waits for them. */
  void publish(String address, JsonRecord event) {
    publish(address, event.toJson());
  }

  void publish(String address, JsonObject event) {
    clusterVertx.eventBus().publish(address, event);
  }

  /** One step of a storage file transfer ({@link FileTransfer}): the reply's body, on the caller's context. */
  Future<Object> transfer(String address, String session, String action, Object body) {
    return onCallerContext(Futures.attempt(() -> FileTransfer.<Object>request(clusterVertx.eventBus(), address,
        session, action, body)).map(Message::body));
  }

  /** A consumer on the clustered bus; its messages arrive on a cluster context. */
  <T> MessageConsumer<T> consumer(String address, Handler<Message<T>> handler) {
    return clusterVertx.eventBus().consumer(address, handler);
  }

  /**
   * {@code op} on a cluster-wide map; completes on a cluster thread (a throw of the map, as Hazelcast's while
   * it shuts down, is a failed future).
   */
  <K, V, T> Future<T> withMap(String name, Function<AsyncMap<K, V>, Future<T>> op) {
    return Futures.attempt(() -> clusterVertx.sharedData().<K, V>getAsyncMap(name).compose(op));
  }

  /** The cluster context Vert.x gives the calling thread (a new one for an edge thread). */
  Context context() {
    return clusterVertx.getOrCreateContext();
  }

  long setTimer(long delayMs, Handler<Long> handler) {
    return clusterVertx.setTimer(delayMs, handler);
  }

  long setPeriodic(long periodMs, Handler<Long> handler) {
    return clusterVertx.setPeriodic(periodMs, handler);
  }

  boolean cancelTimer(long timerId) {
    return clusterVertx.cancelTimer(timerId);
  }

  /** This node's health checks and metrics registry. */
  NodeOps ops() {
    return NodeOps.of(clusterVertx);
  }

  /** The same outcome, delivered on the context of the code that asked (when it runs on one). */
  static <T> Future<T> onCallerContext(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return future;
    }
    Promise<T> onCaller = Promise.promise();
    future.onComplete(ar -> caller.runOnContext(v -> onCaller.handle(ar)));
    return onCaller.future();
  }
}
