package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScheduleTest {
  @Test
  void handsOutEachSlotOnceWhenDue() {
    Schedule s = new Schedule(1_000, 100, 1_500);
    assertThat(s.takeDue(999)).isZero();
    assertThat(s.takeDue(1_000)).isEqualTo(1);
    assertThat(s.takeDue(1_000)).isZero();
    assertThat(s.delayToNext(1_050)).isEqualTo(50);
    assertThat(s.takeDue(1_100)).isEqualTo(1);
    assertThat(s.nextSlot()).isEqualTo(2);
  }

  @Test
  void aLateWakeUpSendsEverySlotThatIsDue() {
    // Open loop: a sender that wakes late catches up instead of lowering the offered rate.
    Schedule s = new Schedule(0, 10, 1_000);
    assertThat(s.takeDue(95)).isEqualTo(10);
    assertThat(s.dueTime(s.nextSlot() - 1)).isEqualTo(90);
  }

  @Test
  void endsBeforeTheEndTime() {
    Schedule s = new Schedule(0, 100, 450);
    assertThat(s.totalSlots()).isEqualTo(5);
    assertThat(s.takeDue(10_000)).isEqualTo(5);
    assertThat(s.finished()).isTrue();
    assertThat(s.delayToNext(10_000)).isEqualTo(-1);
    assertThat(s.takeDue(20_000)).isZero();
  }

  @Test
  void offsetsSpreadSendersOverOnePeriod() {
    assertThat(Schedule.offset(0, 4, 1_000)).isZero();
    assertThat(Schedule.offset(1, 4, 1_000)).isEqualTo(250);
    assertThat(Schedule.offset(3, 4, 1_000)).isEqualTo(750);
  }

  @Test
  void refusesAZeroPeriod() {
    assertThatThrownBy(() -> new Schedule(0, 0, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
