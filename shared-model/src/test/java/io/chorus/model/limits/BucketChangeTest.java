package io.chorus.model.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bucket arithmetic and the changes the cluster map applies, with the clock given. */
class BucketChangeTest {
  private final TokenBucket bucket = new TokenBucket(2, 10); // 2 a second, bursts of 10

  @Test
  void noBucketIsAFullOneAndABucketRefillsAtTheRateUpToTheBurst() {
    assertThat(bucket.tokensAt(null, 5_000)).isEqualTo(10);
    BucketLevel empty = new BucketLevel(0, 1_000);
    assertThat(bucket.tokensAt(empty, 1_500)).isEqualTo(1);
    assertThat(bucket.tokensAt(empty, 3_000)).isEqualTo(4);
    assertThat(bucket.tokensAt(empty, 60_000)).as("capped at the burst").isEqualTo(10);
    assertThat(bucket.tokensAt(empty, 500)).as("a clock behind refills nothing").isZero();
  }

  @Test
  void aGrantIsAsManyWholeTokensAsThereAreUpToWhatIsAsked() {
    assertThat(bucket.grantable(10, 4)).isEqualTo(4);
    assertThat(bucket.grantable(2.7, 4)).isEqualTo(2);
    assertThat(bucket.grantable(0.9, 4)).isZero();
  }

  @Test
  void theTimeToLiveIsTheTimeToRefillCompletely() {
    assertThat(bucket.millisToFull(0)).isEqualTo(5_000);
    assertThat(bucket.millisToFull(9)).isEqualTo(500);
    assertThat(bucket.millisToFull(9.999)).isEqualTo(1);
    assertThat(bucket.millisToFull(10)).as("never 0, which Hazelcast reads as forever").isEqualTo(1);
    assertThat(new TokenBucket(1 / 60.0, 3).millisToFull(0)).isEqualTo(180_000);
    assertThatThrownBy(() -> new TokenBucket(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTakeTakesWhatThereIsAndWritesTheLevelWithItsTimeToFull() {
    BucketChange.Outcome first = BucketChange.take(bucket, 4).apply(null, 1_000);
    assertThat(first.result()).isEqualTo(4);
    assertThat(first.write()).isTrue();
    assertThat(first.next().tokens()).isEqualTo(6);
    assertThat(first.next().atMillis()).isEqualTo(1_000);
    assertThat(first.ttlMillis()).isEqualTo(2_000);

    BucketChange.Outcome short_ = BucketChange.take(bucket, 4).apply(new BucketLevel(2.5, 1_000), 1_000);
    assertThat(short_.result()).isEqualTo(2);
    assertThat(short_.next().tokens()).isEqualTo(0.5);

    BucketChange.Outcome none = BucketChange.take(bucket, 4).apply(new BucketLevel(0.5, 1_000), 1_100);
    assertThat(none.result()).isZero();
    assertThat(none.write()).as("an empty bucket is left as it is: it refills by itself").isFalse();
  }

  @Test
  void givingBackNeverPassesTheBurstAndAFullBucketIsRemoved() {
    BucketChange.Outcome some = BucketChange.giveBack(bucket, 3).apply(new BucketLevel(4, 1_000), 1_000);
    assertThat(some.write()).isTrue();
    assertThat(some.next().tokens()).isEqualTo(7);
    assertThat(some.ttlMillis()).isEqualTo(1_500);

    BucketChange.Outcome full = BucketChange.giveBack(bucket, 3).apply(new BucketLevel(8, 1_000), 1_000);
    assertThat(full.write()).isTrue();
    assertThat(full.next()).as("full: the entry goes").isNull();

    assertThat(BucketChange.giveBack(bucket, 3).apply(null, 1_000).write()).as("no bucket is full already")
        .isFalse();
  }

  @Test
  void aCountChangesNothing() {
    BucketChange.Outcome count = BucketChange.count(bucket).apply(new BucketLevel(1, 1_000), 2_000);
    assertThat(count.result()).isEqualTo(3);
    assertThat(count.write()).isFalse();
    assertThat(BucketChange.count(bucket).apply(null, 0).result()).isEqualTo(10);
  }

  @Test
  void anEmptyBucketLendsOneTokenAtATimeUpToItsCreditAndTheRefillRepaysTheDebtFirst() {
    TokenBucket lending = new TokenBucket(2, 10, 3);
    BucketLevel empty = new BucketLevel(0, 0);
    assertThat(lending.grantable(0, 5)).as("one at a time on credit").isEqualTo(1);
    assertThat(lending.grantable(-2, 1)).isEqualTo(1);
    assertThat(lending.grantable(-2.5, 1)).as("a debt of 3.5 is past the credit").isZero();
    assertThat(lending.grantable(3.7, 5)).as("whole tokens first, no credit while there are any").isEqualTo(3);

    BucketChange.Outcome lent = BucketChange.take(lending, 5).apply(empty, 0);
    assertThat(lent.result()).isEqualTo(1);
    assertThat(lent.next().tokens()).isEqualTo(-1);
    // A second later 2 tokens refilled: the debt of 1 is repaid, 1 whole token is there.
    assertThat(BucketChange.take(lending, 5).apply(lent.next(), 1_000).result()).isEqualTo(1);
    assertThat(BucketChange.count(lending).apply(lent.next(), 0).result()).as("a debt counts as none").isZero();
    assertThat(new TokenBucket(2, 10).grantable(0.5, 1)).as("no credit, no loan").isZero();
  }
}
