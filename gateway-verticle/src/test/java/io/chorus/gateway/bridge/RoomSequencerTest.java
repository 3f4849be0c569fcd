package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.ChorusException;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomSequencerTest {
  private final List<JsonObject> delivered = new ArrayList<>();
  private final Map<Long, Runnable> timers = new HashMap<>();
  private final List<long[]> reads = new ArrayList<>();
  private Promise<List<JsonObject>> read;
  private long nextTimer;

  private final RoomSequencer sequencer = new RoomSequencer("c", 5, delivered::add, (conv, after, before) -> {
    reads.add(new long[] {after, before});
    read = Promise.promise();
    return read.future();
  }, (delayMs, task) -> {
    long id = nextTimer++;
    timers.put(id, task);
    return () -> timers.remove(id);
  }, 100);

  private static JsonObject persisted(long seq) {
    return new JsonObject().put("type", "new_message").put("seq", seq);
  }

  private static JsonObject chunk(int index) {
    return new JsonObject().put("type", "ai_response_chunk").put("index", index);
  }

  private List<Object> deliveredKeys() {
    return delivered.stream().map(e -> e.containsKey("seq") ? (Object) e.getLong("seq") : "chunk" + e.getInteger("index"))
        .toList();
  }

  private void fireTimers() {
    new ArrayList<>(timers.values()).forEach(Runnable::run);
    timers.clear();
  }

  @Test
  void inOrderEventsPassStraightThroughAndDuplicatesAreDropped() {
    sequencer.accept(persisted(6));
    sequencer.accept(chunk(0));
    sequencer.accept(persisted(7));
    sequencer.accept(persisted(7));
    sequencer.accept(persisted(4));

    assertThat(deliveredKeys()).containsExactly(6L, "chunk0", 7L);
    assertThat(timers).isEmpty();
  }

  @Test
  void anEventThatOvertookAnotherWaitsForIt() {
    sequencer.accept(persisted(7));
    sequencer.accept(chunk(0));
    assertThat(delivered).isEmpty();
    assertThat(timers).hasSize(1);

    sequencer.accept(persisted(6));

    assertThat(deliveredKeys()).containsExactly(6L, 7L, "chunk0");
    assertThat(timers).isEmpty();
    assertThat(reads).isEmpty();
  }

  @Test
  void aGapThatStaysIsReadFromStorage() {
    sequencer.accept(persisted(8));
    fireTimers();

    assertThat(reads).hasSize(1);
    assertThat(reads.get(0)).containsExactly(5, 8);
    read.complete(List.of(persisted(7), persisted(6)));

    assertThat(deliveredKeys()).containsExactly(6L, 7L, 8L);
    // The missing events arriving late are duplicates now.
    sequencer.accept(persisted(6));
    sequencer.accept(persisted(7));
    assertThat(deliveredKeys()).containsExactly(6L, 7L, 8L);
  }

  @Test
  void aStorageThatCannotAnswerDoesNotHoldTheRoomForever() {
    sequencer.accept(persisted(9));
    for (int attempt = 0; attempt < 3; attempt++) {
      fireTimers();
      read.fail(ChorusException.unavailable("storage.message.history is unavailable"));
    }
    assertThat(deliveredKeys()).containsExactly(9L);
    assertThat(sequencer.lastSeq()).isEqualTo(9);
  }

  @Test
  void readingAGapReturnsOnlyWhatIsMissing() {
    sequencer.accept(persisted(7));
    fireTimers();
    sequencer.accept(persisted(6)); // arrives while the read is under way
    read.complete(List.of(persisted(6)));

    assertThat(deliveredKeys()).containsExactly(6L, 7L);
    assertThat(sequencer.waiting()).isZero();
  }

  @Test
  void aCatchUpDeliversWhatPassedTheRoomBy() {
    sequencer.catchUp();

    assertThat(reads).hasSize(1);
    assertThat(reads.get(0)).containsExactly(5, Long.MAX_VALUE);
    read.complete(List.of(persisted(7), persisted(6)));
    assertThat(deliveredKeys()).containsExactly(6L, 7L);

    sequencer.accept(persisted(7)); // the live copy, late
    sequencer.accept(persisted(8));
    assertThat(deliveredKeys()).containsExactly(6L, 7L, 8L);
  }

  @Test
  void aCatchUpThatFindsNothingSkipsNothing() {
    sequencer.catchUp();
    read.complete(List.of());

    sequencer.accept(persisted(6));
    assertThat(deliveredKeys()).containsExactly(6L);
    assertThat(timers).isEmpty();
  }

  @Test
  void aCatchUpAskedForDuringAGapReadFollowsIt() {
    sequencer.accept(persisted(8));
    fireTimers();
    sequencer.catchUp();
    assertThat(reads).hasSize(1);

    read.complete(List.of(persisted(6), persisted(7)));
    assertThat(deliveredKeys()).containsExactly(6L, 7L, 8L);
    assertThat(reads).hasSize(2);
    assertThat(reads.get(1)).containsExactly(8, Long.MAX_VALUE);
    read.complete(List.of(persisted(9)));
    assertThat(deliveredKeys()).containsExactly(6L, 7L, 8L, 9L);
  }

  @Test
  void aClosedRoomDeliversNothingAndLeavesNoTimer() {
    sequencer.accept(persisted(7));
    assertThat(timers).hasSize(1);

    sequencer.close();
    assertThat(timers).isEmpty();
    sequencer.accept(persisted(6));
    sequencer.catchUp();
    assertThat(delivered).isEmpty();
    assertThat(reads).isEmpty();
  }
}
