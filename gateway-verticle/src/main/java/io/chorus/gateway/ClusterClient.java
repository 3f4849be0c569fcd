package io.chorus.gateway;

import io.chorus.model.Bus;
import io.chorus.model.Endpoint;
import io.chorus.model.JsonRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/**
 * Requests to the services on the clustered event bus from the gateway-local Vert.x. The reply is
 * handed back on the caller's context, so HTTP and bridge handlers never run on the cluster's threads.
 */
final class ClusterClient {
  private final EventBus clusterBus;

  ClusterClient(EventBus clusterBus) {
    this.clusterBus = clusterBus;
  }

  <Q extends JsonRecord, R extends JsonRecord> Future<R> request(Endpoint<Q, R> endpoint, Q request) {
    return onCallerContext(Bus.request(clusterBus, endpoint, request));
  }

  /** With a timeout of its own, for a question that must not hold up its answer for long. */
  <Q extends JsonRecord, R extends JsonRecord> Future<R> request(Endpoint<Q, R> endpoint, Q request, long timeoutMs) {
    return onCallerContext(Bus.request(clusterBus, endpoint, request, timeoutMs));
  }

  /** To every consumer of {@code address} in the cluster; nothing waits for them. */
  void publish(String address, JsonRecord event) {
    clusterBus.publish(address, event.toJson());
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
