package io.chorus.storage;

import io.chorus.model.ChorusException;
import io.chorus.model.Futures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit: appends that arrive while {@code maxInFlight} batches are being written wait and then go
 * to the database together, up to {@code maxBatch} in one statement and one commit. Nothing is held back
 * on purpose: with a slot free an append is written at once, alone, so a quiet system pays no delay;
 * under load the batches grow by themselves, and so does the work each commit does (docs/benchmarks.md).
 * At most {@code maxWaiting} appends wait; beyond that one is refused at once with 503, so an overloaded
 * node sheds load instead of queueing until requests time out.
 *
 * <p>Thread-safe: submissions may come from any thread, the writer's futures complete on any.
 *
 * @param <T> what is appended
 * @param <R> what each append answers
 */
final class AppendBatcher<T, R> {
  /** One waiting append: what to write and who waits for it. */
  record Pending<T, R>(T item, Promise<R> promise) {}

  /**
   * Writes one batch, in arrival order, and completes every promise of it; the returned future
   * completes after them. Promises it left open are failed (with its failure, if it failed).
   */
  interface BatchWriter<T, R> {
    Future<?> write(List<Pending<T, R>> batch);
  }

  private final int maxInFlight;
  private final int maxBatch;
  private final int maxWaiting;
  private final BatchWriter<T, R> writer;
  private final ArrayDeque<Pending<T, R>> waiting = new ArrayDeque<>();
  private int inFlight;

  AppendBatcher(int maxInFlight, int maxBatch, int maxWaiting, BatchWriter<T, R> writer) {
    if (maxInFlight < 1 || maxBatch < 1 || maxWaiting < 0) {
      throw new IllegalArgumentException("maxInFlight and maxBatch must be at least 1, maxWaiting at least 0");
    }
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
    this.maxWaiting = maxWaiting;
    this.writer = writer;
  }

  Future<R> submit(T item) {
    Promise<R> promise = Promise.promise();
    synchronized (this) {
      if (inFlight >= maxInFlight && waiting.size() >= maxWaiting) {
        return Future.failedFuture(ChorusException.unavailable("too many messages are waiting to be stored"));
      }
      waiting.add(new Pending<>(item, promise));
    }
    writeWhatFits();
    return promise.future();
  }

  /** Appends waiting for a batch slot, for metrics and tests. */
  synchronized int waiting() {
    return waiting.size();
  }

  private void writeWhatFits() {
    List<Pending<T, R>> batch;
    while ((batch = nextBatch()) != null) {
      write(batch);
    }
  }

  private synchronized List<Pending<T, R>> nextBatch() {
    if (inFlight >= maxInFlight || waiting.isEmpty()) {
      return null;
    }
    inFlight++;
    List<Pending<T, R>> batch = new ArrayList<>(Math.min(maxBatch, waiting.size()));
    while (batch.size() < maxBatch && !waiting.isEmpty()) {
      batch.add(waiting.poll());
    }
    return batch;
  }

  private void write(List<Pending<T, R>> batch) {
    Futures.attempt(() -> writer.write(batch).<Void>mapEmpty()).onComplete(ar -> {
      try {
        // A writer that forgot one must not leave its caller waiting until a timeout.
        Throwable cause = ar.failed() ? ar.cause() : new IllegalStateException("append left unanswered");
        batch.forEach(p -> p.promise().tryFail(cause));
      } finally {
        // Whatever a waiter's callback did, the slot comes back: a lost slot would stall every send.
        synchronized (this) {
          inFlight--;
        }
        writeWhatFits();
      }
    });
  }
}
