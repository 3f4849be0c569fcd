package io.chorus.model.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Grants: spent locally, shared by takes that wait for them, given back when idle; with a fake store and clock. */
class GrantingLimiterTest {
  private final AtomicLong clock = new AtomicLong();
  private final FakeStore store = new FakeStore(new TokenBucket(1, 10));

  /** A bucket per key with the test's clock; takes answer when the test says ({@link #answerAll}) or at once. */
  private final class FakeStore implements BucketStore {
    final TokenBucket bucket;
    final java.util.Map<String, BucketLevel> levels = new java.util.HashMap<>();
    final List<Runnable> unanswered = new ArrayList<>();
    boolean answerLater;
    int takes;
    int givenBack;

    FakeStore(TokenBucket bucket) {
      this.bucket = bucket;
    }

    private int change(String key, BucketChange change) {
      BucketChange.Outcome outcome = change.apply(levels.get(key), clock.get() / 1_000_000);
      if (outcome.write()) {
        if (outcome.next() == null) {
          levels.remove(key);
        } else {
          levels.put(key, outcome.next());
        }
      }
      return outcome.result();
    }

    @Override
    public Future<Integer> take(String key, int want) {
      takes++;
      if (!answerLater) {
        return Future.succeededFuture(change(key, BucketChange.take(bucket, want)));
      }
      Promise<Integer> answer = Promise.promise();
      unanswered.add(() -> answer.complete(change(key, BucketChange.take(bucket, want))));
      return answer.future();
    }

    @Override
    public Future<Void> giveBack(String key, int tokens) {
      givenBack += tokens;
      change(key, BucketChange.giveBack(bucket, tokens));
      return Future.succeededFuture();
    }

    @Override
    public Future<Integer> count(String key) {
      return Future.succeededFuture(change(key, BucketChange.count(bucket)));
    }

    void answerAll() {
      List<Runnable> now = new ArrayList<>(unanswered);
      unanswered.clear();
      now.forEach(Runnable::run);
    }

    int tokensLeft(String key) {
      return change(key, BucketChange.count(bucket));
    }
  }

  private static boolean done(Future<Boolean> take) {
    assertThat(take.isComplete()).isTrue();
    return take.result();
  }

  @Test
  void aGrantIsSpentHereWithoutAskingTheStoreAgain() {
    GrantingLimiter limiter = new GrantingLimiter(store, 4, clock::get);
    for (int i = 0; i < 4; i++) {
      assertThat(done(limiter.tryAcquire("u"))).isTrue();
    }
    assertThat(store.takes).isEqualTo(1);
    assertThat(store.tokensLeft("u")).isEqualTo(6);
    assertThat(done(limiter.tryAcquire("u"))).isTrue();
    assertThat(store.takes).as("the grant spent, a new one").isEqualTo(2);
    assertThat(limiter.held()).isEqualTo(1);
  }

  @Test
  void twoNodesTogetherGetTheBurstAndNoMore() {
    GrantingLimiter a = new GrantingLimiter(store, 4, clock::get);
    GrantingLimiter b = new GrantingLimiter(store, 4, clock::get);
    int accepted = 0;
    for (int i = 0; i < 20; i++) {
      accepted += done(a.tryAcquire("u")) ? 1 : 0;
      accepted += done(b.tryAcquire("u")) ? 1 : 0;
    }
    assertThat(accepted).isEqualTo(10);
    assertThat(done(a.tryAcquire("other"))).as("keys are apart").isTrue();
  }

  @Test
  void takesWhileAGrantIsAskedForWaitForItInsteadOfEachAsking() {
    store.answerLater = true;
    GrantingLimiter limiter = new GrantingLimiter(store, 4, clock::get);
    List<Future<Boolean>> takes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      takes.add(limiter.tryAcquire("u"));
    }
    assertThat(store.takes).as("one question for six takes").isEqualTo(1);
    assertThat(takes).noneMatch(Future::isComplete);

    store.answerAll(); // 4 tokens: four takes served; the grant was full, so the fifth asks once more
    assertThat(store.takes).isEqualTo(2);
    store.answerAll();
    assertThat(takes).allMatch(Future::isComplete);
    assertThat(takes.stream().filter(Future::result)).hasSize(6);
    assertThat(store.tokensLeft("u")).isEqualTo(2); // 10 - 8 granted; 2 of them still held here
  }

  @Test
  void aGrantOfNoneMeansTheBucketHasNothingLeftSoTheOtherWaitersAreRefused() {
    store.levels.put("u", new BucketLevel(2, 0));
    store.answerLater = true;
    GrantingLimiter limiter = new GrantingLimiter(store, 4, clock::get);
    List<Future<Boolean>> takes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      takes.add(limiter.tryAcquire("u"));
    }
    store.answerAll(); // 2 of the 4 asked for: two takes served, and the bucket is asked once more (it may lend)
    assertThat(store.takes).isEqualTo(2);
    store.answerAll(); // none (this bucket lends nothing): the three others are refused without asking again
    assertThat(store.takes).isEqualTo(2);
    assertThat(takes).allMatch(Future::isComplete);
    assertThat(takes.stream().filter(Future::result)).hasSize(2);
    assertThat(limiter.held()).isZero();
  }

  /**
   * A client sending exactly its burst, spread over two chat nodes unevenly (12 and 8): the node that runs short
   * while the other holds the user's last tokens borrows them from the bucket's credit, so none is refused; past
   * the burst, no more than the credit is accepted in all.
   */
  @Test
  void aBurstSpreadUnevenlyOverTwoNodesIsAcceptedWholeAndTheCreditBoundsWhatFollows() {
    FakeStore lending = new FakeStore(new TokenBucket(1, 20, 4)); // grants of 5 lend up to 4 beyond empty
    GrantingLimiter a = new GrantingLimiter(lending, 5, clock::get);
    GrantingLimiter b = new GrantingLimiter(lending, 5, clock::get);
    int accepted = 0;
    for (int i = 0; i < 20; i++) {
      accepted += done((i % 5 < 3 ? a : b).tryAcquire("u")) ? 1 : 0;
    }
    assertThat(accepted).isEqualTo(20);

    int beyond = 0;
    for (int i = 0; i < 20; i++) {
      beyond += done((i % 2 == 0 ? a : b).tryAcquire("u")) ? 1 : 0;
    }
    assertThat(accepted + beyond).isLessThanOrEqualTo(20 + 4);
  }

  @Test
  void anAllowanceUnusedForASecondIsGivenBack() {
    GrantingLimiter limiter = new GrantingLimiter(store, 4, clock::get);
    assertThat(done(limiter.tryAcquire("u"))).isTrue();
    assertThat(store.tokensLeft("u")).isEqualTo(6);

    clock.addAndGet(GrantingLimiter.IDLE_NANOS / 2);
    limiter.evictIdle();
    assertThat(limiter.held()).as("still in use").isEqualTo(1);

    clock.addAndGet(GrantingLimiter.IDLE_NANOS);
    limiter.evictIdle();
    assertThat(limiter.held()).isZero();
    assertThat(store.givenBack).isEqualTo(3);
    assertThat(store.tokensLeft("u")).as("the 3 unused, plus 1.5 s of refill").isEqualTo(10);
  }

  @Test
  void anIdleAllowanceFoundByATakeIsGivenBackBeforeANewGrant() {
    GrantingLimiter limiter = new GrantingLimiter(store, 4, clock::get);
    assertThat(done(limiter.tryAcquire("u"))).isTrue();
    clock.addAndGet(2 * GrantingLimiter.IDLE_NANOS);
    assertThat(done(limiter.tryAcquire("u"))).isTrue();
    assertThat(store.givenBack).isEqualTo(3);
    assertThat(store.takes).isEqualTo(2);
  }

  @Test
  void aRefundGoesToTheAllowanceOrElseToTheStore() {
    GrantingLimiter limiter = new GrantingLimiter(store, 4, clock::get);
    for (int i = 0; i < 4; i++) {
      done(limiter.tryAcquire("u"));
    }
    limiter.refund("u");
    assertThat(store.givenBack).as("no allowance left: back to the bucket").isEqualTo(1);
    done(limiter.tryAcquire("u"));
    limiter.refund("u");
    assertThat(store.givenBack).as("into the allowance").isEqualTo(1);
    assertThat(limiter.held()).isEqualTo(1);
  }

  @Test
  void aGrantOfOneAsksForEveryTakeAndHoldsNothing() {
    GrantingLimiter limiter = new GrantingLimiter(store, 1, clock::get);
    for (int i = 0; i < 10; i++) {
      assertThat(done(limiter.tryAcquire("u"))).isTrue();
    }
    assertThat(done(limiter.tryAcquire("u"))).isFalse();
    assertThat(store.takes).isEqualTo(11);
    assertThat(limiter.held()).isZero();
    assertThat(done(limiter.hasToken("u"))).isFalse();
    limiter.refund("u");
    assertThat(done(limiter.hasToken("u"))).isTrue();
    clock.addAndGet(1_000_000_000L);
    assertThat(store.tokensLeft("u")).isEqualTo(2);
  }

  @Test
  void offTheClusterTheLimitIsThisNodesBucket() {
    SharedRateLimiter.Factory local = SharedRateLimiter.local(clock::get);
    SharedRateLimiter limiter = local.create("messages", 1, 2, 1);
    assertThat(done(limiter.tryAcquire("u"))).isTrue();
    assertThat(done(limiter.tryAcquire("u"))).isTrue();
    assertThat(done(limiter.tryAcquire("u"))).isFalse();
    limiter.refund("u");
    assertThat(done(limiter.hasToken("u"))).isTrue();
    io.vertx.core.Vertx plain = io.vertx.core.Vertx.vertx();
    try {
      assertThat(SharedRateLimiter.of(plain).create("x", 1, 1, 1)).as("a Vert.x that is not clustered")
          .isNotInstanceOf(GrantingLimiter.class);
    } finally {
      plain.close();
    }
  }
}
