package io.chorus.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class FuturesTest {
  @Test
  void aCallThatThrowsBecomesAFailedFuture() {
    IllegalStateException thrown = new IllegalStateException("member left");
    Future<String> future = Futures.attempt(() -> {
      throw thrown;
    });
    assertThat(future.failed()).isTrue();
    assertThat(future.cause()).isSameAs(thrown);
  }

  @Test
  void aCallThatReturnsAFutureGivesThatFuture() {
    Future<String> returned = Future.succeededFuture("ok");
    assertThat(Futures.attempt(() -> returned)).isSameAs(returned);
  }
}
