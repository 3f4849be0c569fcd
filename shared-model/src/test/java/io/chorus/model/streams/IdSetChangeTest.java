package io.chorus.model.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The changes of the stream registry's id sets, as they run where the set lives. */
class IdSetChangeTest {
  @Test
  void anIdIsAddedOnceAndTheSetGoesWithItsLastId() {
    StampedIds one = IdSetChange.add("s1", 5).applyTo(null).next();
    assertThat(one.ids()).containsExactly("s1");
    assertThat(IdSetChange.add("s1", 9).applyTo(one).next()).as("added again: unchanged").isSameAs(one);
    StampedIds two = IdSetChange.add("s2", 0).applyTo(one).next();
    assertThat(two.ids()).containsExactly("s1", "s2");

    assertThat(IdSetChange.remove("absent").applyTo(two).next()).isSameAs(two);
    StampedIds left = IdSetChange.remove("s1").applyTo(two).next();
    assertThat(left.ids()).containsExactly("s2");
    assertThat(IdSetChange.remove("s2").applyTo(left).next()).as("no entry once empty").isNull();
    assertThat(IdSetChange.remove("s2").applyTo(null).next()).isNull();
  }

  @Test
  void aReservationTakesASlotBelowMaxAndARetryHoldsTheSameOne() {
    StampedIds held = null;
    for (String id : List.of("a", "b")) {
      IdSetChange.Outcome outcome = IdSetChange.reserve(id, 100, 2, 0, List.of()).applyTo(held);
      assertThat(((IdSetChange.Reservation) outcome.reply()).taken()).isTrue();
      held = outcome.next();
    }
    IdSetChange.Outcome retried = IdSetChange.reserve("a", 200, 2, 0, List.of()).applyTo(held);
    assertThat(((IdSetChange.Reservation) retried.reply()).taken()).isTrue();
    assertThat(retried.next()).isSameAs(held);

    IdSetChange.Outcome full = IdSetChange.reserve("c", 200, 2, 0, List.of()).applyTo(held);
    assertThat(((IdSetChange.Reservation) full.reply()).taken()).isFalse();
    assertThat(((IdSetChange.Reservation) full.reply()).stale()).as("none older than the grace").isEmpty();
    assertThat(full.next().ids()).containsExactly("a", "b");
  }

  @Test
  void aBoundOfNoneTakesNoSlot() {
    IdSetChange.Outcome refused = IdSetChange.reserve("a", 100, 0, 0, List.of()).applyTo(null);
    assertThat(((IdSetChange.Reservation) refused.reply()).taken()).isFalse();
    assertThat(refused.next()).isNull();
  }

  @Test
  void aFullUserIsToldWhichSlotsAreOldAndTheOnesFoundGoneAreDropped() {
    StampedIds held = IdSetChange.reserve("old", 100, 2, 0, List.of()).applyTo(null).next();
    held = IdSetChange.reserve("new", 900, 2, 0, List.of()).applyTo(held).next();

    IdSetChange.Outcome refused = IdSetChange.reserve("third", 1_000, 2, 500, List.of()).applyTo(held);
    assertThat(((IdSetChange.Reservation) refused.reply()).taken()).isFalse();
    assertThat(((IdSetChange.Reservation) refused.reply()).stale()).containsExactly("old");

    IdSetChange.Outcome retaken = IdSetChange.reserve("third", 1_000, 2, 500, List.of("old")).applyTo(held);
    assertThat(((IdSetChange.Reservation) retaken.reply()).taken()).isTrue();
    assertThat(retaken.next().ids()).containsExactly("new", "third");
  }
}
