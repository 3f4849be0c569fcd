package io.chorus.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One context on each event loop of the tool, to spread sockets over all of them. Work started from the
 * main thread would otherwise land on a single loop: Vert.x gives a non-Vert.x thread one sticky
 * context, and a connection lives on the loop of the context that opened it. Verticle instances are the
 * public way to get one context per loop (Vert.x hands them out round-robin).
 */
final class EventLoops {
  private final List<Context> contexts;

  private EventLoops(List<Context> contexts) {
    this.contexts = List.copyOf(contexts);
  }

  static EventLoops start(Vertx vertx, int count) {
    List<Context> contexts = new ArrayList<>();
    Await.on(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        synchronized (contexts) {
          contexts.add(context);
        }
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(count)), 30);
    return new EventLoops(contexts);
  }

  int size() {
    return contexts.size();
  }

  Context get(int i) {
    return contexts.get(Math.floorMod(i, contexts.size()));
  }

  List<Context> all() {
    return contexts;
  }

  /** Runs {@code work} on loop {@code i} (mod the count): what it opens lives there. */
  <T> Future<T> on(int i, Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    get(i).runOnContext(v -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
