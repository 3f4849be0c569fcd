package io.chorus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.AsyncMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ClusterClient} returns completes on the context of the code that asked: an edge handler gets its
 * map answers and a consumer's registration back on its own context, not on a cluster thread. A plain Vert.x stands
 * in for the clustered one (its shared data behaves alike), a second one for the gateway-local edge.
 */
class ClusterClientTest {
  private final Vertx clusterVertx = Vertx.vertx();
  private final Vertx edgeVertx = Vertx.vertx();
  private final ClusterClient cluster = new ClusterClient(clusterVertx);

  @AfterEach
  void close() throws Exception {
    edgeVertx.close().await(5, TimeUnit.SECONDS);
    clusterVertx.close().await(5, TimeUnit.SECONDS);
  }

  /** Runs {@code call} on an edge context; whether its future completed back on that same context. */
  private boolean completesOnCaller(java.util.function.Supplier<Future<?>> call) throws Exception {
    Context edge = edgeVertx.getOrCreateContext();
    Promise<Boolean> sameContext = Promise.promise();
    edge.runOnContext(v -> call.get().onComplete(ar -> sameContext.complete(Vertx.currentContext() == edge)));
    return sameContext.future().await(5, TimeUnit.SECONDS);
  }

  @Test
  void aMapOperationAnswersOnTheCallersContext() throws Exception {
    assertThat(completesOnCaller(() -> cluster.<String, String, Void>withMap("test.map", map -> map.put("k", "v"))))
        .isTrue();
    assertThat(completesOnCaller(() -> cluster.<String, String, String>withMap("test.map", map -> map.get("k"))))
        .isTrue();
  }

  @Test
  void aFailedMapOperationAnswersOnTheCallersContextToo() throws Exception {
    assertThat(completesOnCaller(() -> cluster.<String, String, Void>withMap("test.map",
        (AsyncMap<String, String> map) -> {
          throw new IllegalStateException("Hazelcast is shutting down");
        }))).isTrue();
  }

  @Test
  void aConsumersRegistrationIsReportedOnTheCallersContext() throws Exception {
    assertThat(completesOnCaller(() -> {
      MessageConsumer<Object> consumer = cluster.consumer("test.address", message -> {});
      return cluster.registered(consumer);
    })).isTrue();
  }

  @Test
  void anOutcomeForACallerWhoseVertxHasClosedIsStillDelivered() throws Exception {
    Context edge = edgeVertx.getOrCreateContext();
    Promise<Void> release = Promise.promise();
    Promise<Future<Void>> handed = Promise.promise();
    edge.runOnContext(v -> handed.complete(ClusterClient.onCallerContext(release.future())));
    Future<Void> outcome = handed.future().await(5, TimeUnit.SECONDS);
    edgeVertx.close().await(5, TimeUnit.SECONDS);

    clusterVertx.runOnContext(v -> release.complete());

    outcome.await(5, TimeUnit.SECONDS); // a graceful stop waiting for it is not left hanging
    assertThat(outcome.succeeded()).isTrue();
  }
}
