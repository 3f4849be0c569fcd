package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The group commit's queueing, with a writer the test completes by hand. */
class AppendBatcherTest {
  /** Records each batch it is given and leaves it open until the test finishes it. */
  private static final class ManualWriter implements AppendBatcher.BatchWriter<String, String> {
    final List<List<AppendBatcher.Pending<String, String>>> batches = new ArrayList<>();
    final List<Promise<Void>> done = new ArrayList<>();

    @Override
    public Future<?> write(List<AppendBatcher.Pending<String, String>> batch) {
      batches.add(batch);
      Promise<Void> finished = Promise.promise();
      done.add(finished);
      return finished.future();
    }

    List<String> items(int batch) {
      return batches.get(batch).stream().map(AppendBatcher.Pending::item).toList();
    }

    /** Answers every append of the batch with its own text upper-cased, then ends the batch. */
    void answer(int batch) {
      batches.get(batch).forEach(p -> p.promise().complete(p.item().toUpperCase()));
      done.get(batch).complete();
    }
  }

  @Test
  void withASlotFreeAnAppendIsWrittenAtOnceAndAlone() {
    ManualWriter writer = new ManualWriter();
    AppendBatcher<String, String> batcher = new AppendBatcher<>(2, 10, 100, writer);

    Future<String> a = batcher.submit("a");
    Future<String> b = batcher.submit("b");

    assertThat(writer.batches).hasSize(2);
    assertThat(writer.items(0)).containsExactly("a");
    assertThat(writer.items(1)).containsExactly("b");
    writer.answer(1);
    assertThat(b.result()).isEqualTo("B");
    assertThat(a.isComplete()).isFalse();
  }

  @Test
  void appendsArrivingWhileEverySlotIsBusyGoTogetherInArrivalOrderUpToTheBatchSize() {
    ManualWriter writer = new ManualWriter();
    AppendBatcher<String, String> batcher = new AppendBatcher<>(1, 3, 100, writer);

    List<Future<String>> results = new ArrayList<>();
    for (String item : List.of("a", "b", "c", "d", "e", "f")) {
      results.add(batcher.submit(item));
    }
    assertThat(writer.batches).hasSize(1);
    assertThat(batcher.waiting()).isEqualTo(5);

    writer.answer(0);
    assertThat(writer.items(1)).containsExactly("b", "c", "d");
    assertThat(batcher.waiting()).isEqualTo(2);
    writer.answer(1);
    assertThat(writer.items(2)).containsExactly("e", "f");
    writer.answer(2);

    assertThat(results).extracting(Future::result).containsExactly("A", "B", "C", "D", "E", "F");
    assertThat(batcher.waiting()).isZero();
  }

  @Test
  void pastTheWaitingLimitAnAppendIsRefusedAt503AtOnce() {
    ManualWriter writer = new ManualWriter();
    AppendBatcher<String, String> batcher = new AppendBatcher<>(1, 10, 2, writer);

    Future<String> writing = batcher.submit("a");
    Future<String> first = batcher.submit("b");
    Future<String> second = batcher.submit("c");
    Future<String> refused = batcher.submit("d");

    assertThat(refused.failed()).isTrue();
    assertThat(((ChorusException) refused.cause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    writer.answer(0);
    writer.answer(1);
    assertThat(List.of(writing, first, second)).extracting(Future::result).containsExactly("A", "B", "C");
    // Room again once the queue drained.
    Future<String> later = batcher.submit("e");
    writer.answer(2);
    assertThat(later.result()).isEqualTo("E");
  }

  @Test
  void aFailedBatchFailsWhatItLeftOpenAndTheNextBatchStillRuns() {
    ManualWriter writer = new ManualWriter();
    AppendBatcher<String, String> batcher = new AppendBatcher<>(1, 10, 100, writer);
    Future<String> a = batcher.submit("a");
    Future<String> b = batcher.submit("b");
    Future<String> c = batcher.submit("c");

    writer.answer(0);
    // The writer answered b itself before the statement failed: b keeps its answer, c gets the failure.
    writer.batches.get(1).get(0).promise().complete("B");
    writer.done.get(1).fail(new IllegalStateException("connection lost"));

    assertThat(a.result()).isEqualTo("A");
    assertThat(b.result()).isEqualTo("B");
    assertThat(c.cause()).hasMessage("connection lost");
    Future<String> d = batcher.submit("d");
    assertThat(writer.items(2)).containsExactly("d");
    writer.answer(2);
    assertThat(d.result()).isEqualTo("D");
  }

  @Test
  void aWriterThatThrowsFailsItsBatchAndFreesItsSlot() {
    List<Integer> calls = new ArrayList<>();
    AppendBatcher<String, String> batcher = new AppendBatcher<>(1, 10, 100, batch -> {
      calls.add(batch.size());
      if (calls.size() == 1) {
        throw new IllegalArgumentException("bad parameter");
      }
      batch.forEach(p -> p.promise().complete("ok"));
      return Future.succeededFuture();
    });

    assertThat(batcher.submit("a").cause()).hasMessage("bad parameter");
    assertThat(batcher.submit("b").result()).isEqualTo("ok");
    assertThat(calls).containsExactly(1, 1);
  }

  @Test
  void anAppendTheWriterLeftOpenFailsAndAThrowingCallerDoesNotCostTheSlot() {
    ManualWriter writer = new ManualWriter();
    AppendBatcher<String, String> batcher = new AppendBatcher<>(1, 10, 100, writer);
    Future<String> forgotten = batcher.submit("a");
    forgotten.onComplete(ar -> {
      throw new IllegalStateException("a caller's callback blew up");
    });

    try {
      writer.done.get(0).complete(); // the batch ends without answering "a"
    } catch (RuntimeException callbackFailure) {
      // however the callback's exception travels, what matters is what happens next
    }

    assertThat(forgotten.failed()).isTrue();
    Future<String> next = batcher.submit("b");
    assertThat(writer.items(1)).as("the slot came back").containsExactly("b");
    writer.answer(1);
    assertThat(next.result()).isEqualTo("B");
  }
}
