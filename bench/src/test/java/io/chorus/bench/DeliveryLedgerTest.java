package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
  @Test
  void everyMemberReceivingEveryMessageOnceIsNoLoss() {
    DeliveryLedger ledger = new DeliveryLedger(2);
    ledger.sent();
    ledger.sent();
    ledger.acked();
    ledger.acked();
    // receivers 0 and 1 share a room; sender 0 sent slots 0 and 1 (seq 10 and 11)
    for (int receiver = 0; receiver < 2; receiver++) {
      assertThat(ledger.received(receiver, 0, 0, 10)).isEqualTo(DeliveryLedger.Outcome.FIRST);
      assertThat(ledger.received(receiver, 0, 1, 11)).isEqualTo(DeliveryLedger.Outcome.FIRST);
    }
    DeliveryLedger.Totals t = ledger.totals();
    assertThat(t.expected()).isEqualTo(4);
    assertThat(t.delivered()).isEqualTo(4);
    assertThat(t.lost()).isZero();
    assertThat(t.duplicates()).isZero();
    assertThat(t.outOfOrder()).isZero();
  }

  @Test
  void aMissingDeliveryIsLost() {
    DeliveryLedger ledger = new DeliveryLedger(3);
    ledger.sent();
    ledger.received(0, 0, 0, 1);
    ledger.received(1, 0, 0, 1);
    assertThat(ledger.totals().lost()).isEqualTo(1);
  }

  @Test
  void theSameSlotTwiceIsADuplicateAndNotCountedAgain() {
    DeliveryLedger ledger = new DeliveryLedger(1);
    ledger.sent();
    ledger.received(0, 5, 7, 1);
    assertThat(ledger.received(0, 5, 7, 1)).isEqualTo(DeliveryLedger.Outcome.DUPLICATE);
    DeliveryLedger.Totals t = ledger.totals();
    assertThat(t.delivered()).isEqualTo(1);
    assertThat(t.duplicates()).isEqualTo(1);
    assertThat(t.lost()).isZero();
  }

  @Test
  void aSeqBelowTheLastIsOutOfOrderPerReceiver() {
    DeliveryLedger ledger = new DeliveryLedger(2);
    ledger.received(0, 0, 1, 6);
    ledger.received(0, 1, 0, 5);
    // another receiver has its own order
    ledger.received(1, 1, 0, 5);
    ledger.received(1, 0, 1, 6);
    assertThat(ledger.totals().outOfOrder()).isEqualTo(1);
  }

  @Test
  void aSeqJumpIsAGapNotALoss() {
    DeliveryLedger ledger = new DeliveryLedger(1);
    ledger.sent();
    ledger.sent();
    ledger.received(0, 0, 0, 1);
    ledger.received(0, 0, 1, 3);
    DeliveryLedger.Totals t = ledger.totals();
    assertThat(t.seqGaps()).isEqualTo(1);
    assertThat(t.lost()).isZero();
  }

  @Test
  void sendersWithTheSameSlotAreDistinct() {
    DeliveryLedger ledger = new DeliveryLedger(1);
    assertThat(ledger.received(0, 1, 0, 1)).isEqualTo(DeliveryLedger.Outcome.FIRST);
    assertThat(ledger.received(0, 2, 0, 2)).isEqualTo(DeliveryLedger.Outcome.FIRST);
  }

  @Test
  void aRefusedSendExpectsNoDeliveries() {
    DeliveryLedger ledger = new DeliveryLedger(3);
    ledger.sent();
    ledger.sent();
    ledger.acked();
    ledger.failed(); // answered 503: shed, not lost
    for (int receiver = 0; receiver < 3; receiver++) {
      ledger.received(receiver, 0, 0, 1);
    }
    DeliveryLedger.Totals t = ledger.totals();
    assertThat(t.expected()).isEqualTo(3);
    assertThat(t.lost()).isZero();
    assertThat(t.failed()).isEqualTo(1);
  }
}
