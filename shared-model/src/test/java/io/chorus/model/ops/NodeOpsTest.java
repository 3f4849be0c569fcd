package io.chorus.model.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.CheckResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeOpsTest {
  private final Vertx vertx = Vertx.vertx();
  private final NodeOps ops = NodeOps.attach(vertx, NodeOps.newRegistry());

  @AfterEach
  void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void aCheckThatAnswersAfterItsTimeoutIsNotReadyAndItsLateAnswerIsDropped() throws Exception {
    List<Throwable> unhandled = new CopyOnWriteArrayList<>();
    vertx.exceptionHandler(unhandled::add);
    Promise<Void> slowStorage = Promise.promise();
    ops.addReadinessCheck("storage", 50, slowStorage::future);

    CheckResult timedOut = ops.readiness().checkStatus("storage").await(5, TimeUnit.SECONDS);
    assertThat(timedOut.getUp()).isFalse();

    // The answer arrives after all, as a busy storage node's would (this used to log "Result is already complete").
    Future<Void> answered = vertx.getOrCreateContext().<Void>executeBlocking(() -> {
      slowStorage.complete();
      return null;
    });
    answered.await(5, TimeUnit.SECONDS);
    vertx.timer(50).await(5, TimeUnit.SECONDS);
    assertThat(unhandled).isEmpty();
  }

  @Test
  void aCheckIsReadyWhileItSucceedsAndNamesItsFailureOtherwise() throws Exception {
    ops.addReadinessCheck("up", 5_000, Future::succeededFuture);
    ops.addReadinessCheck("down", 5_000, () -> Future.failedFuture("database unreachable"));
    ops.addReadinessCheck("throws", 5_000, () -> {
      throw new IllegalStateException("not wired yet");
    });

    assertThat(ops.readiness().checkStatus("up").await(5, TimeUnit.SECONDS).getUp()).isTrue();
    CheckResult down = ops.readiness().checkStatus("down").await(5, TimeUnit.SECONDS);
    assertThat(down.getUp()).isFalse();
    assertThat(down.toJson().encode()).contains("database unreachable");
    assertThat(ops.readiness().checkStatus("throws").await(5, TimeUnit.SECONDS).getUp()).isFalse();
  }
}
