package io.chorus.model.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shared limits on a real two-node Hazelcast cluster: takes on both nodes at once, for the same key, together
 * get the burst (plus what a slow rate refills meanwhile) and no more, with grants and without; a bucket's entry
 * carries the time to refill it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedRateLimiterIT {
  private Vertx first;
  private Vertx second;

  @BeforeAll
  void startCluster() throws Exception {
    ClusterSettings settings = ClusterSettings.loopback("limits-" + UUID.randomUUID(),
        ThreadLocalRandom.current().nextInt(20_000, 40_000));
    first = ClusterNode.start(settings, new VertxOptions()).await(60, TimeUnit.SECONDS);
    second = ClusterNode.start(new ClusterSettings(settings.host(), settings.port() + 1, settings.members(),
        settings.name(), null), new VertxOptions()).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    second.close().await(30, TimeUnit.SECONDS);
    first.close().await(30, TimeUnit.SECONDS);
  }

  /** {@code takes} takes for {@code key} on each node at once, each on that node's own context; how many got one. */
  private int acceptedOnBoth(String limit, int grant, String key, int takes) throws Exception {
    // 1 a minute: at most one more token refills while the test runs, however slow the machine.
    List<Future<Integer>> counts = new ArrayList<>();
    for (Vertx node : List.of(first, second)) {
      counts.add(onContext(node, () -> {
        SharedRateLimiter limiter = SharedRateLimiter.of(node).create(limit, 1 / 60.0, 10, grant);
        List<Future<Boolean>> all = new ArrayList<>();
        for (int i = 0; i < takes; i++) {
          all.add(limiter.tryAcquire(key));
        }
        return Future.all(all).map(done -> (int) all.stream().filter(Future::result).count());
      }));
    }
    return Future.all(counts).await(30, TimeUnit.SECONDS).<Integer>list().stream().mapToInt(Integer::intValue).sum();
  }

  private static <T> Future<T> onContext(Vertx node, java.util.function.Supplier<Future<T>> work) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    node.getOrCreateContext().runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  @Test
  void takesOnTwoNodesTogetherNeverPassTheBurstWithoutGrants() throws Exception {
    int accepted = acceptedOnBoth("exact", 1, "user-" + UUID.randomUUID(), 15);
    assertThat(accepted).isBetween(10, 11);
  }

  @Test
  void takesOnTwoNodesTogetherNeverPassTheBurstWithGrants() throws Exception {
    int accepted = acceptedOnBoth("granted", 3, "user-" + UUID.randomUUID(), 15);
    // Both nodes have more takes than the bucket has tokens, so every token granted is spent: none is stranded.
    // The bucket lends up to a grant less one (2) beyond empty, one at a time: at most 10 + 1 refilled + 2.
    assertThat(accepted).isBetween(10, 13);
  }

  @Test
  void aBucketEntryLivesAsLongAsItTakesToRefillAndAFullOneIsGone() throws Exception {
    String key = "user-" + UUID.randomUUID();
    // A token takes 100 s to come back: the entry outlives a slow machine's pause between the take and the look.
    SharedRateLimiter limiter = SharedRateLimiter.of(first).create("ttl", 0.01, 10, 1);
    assertThat(limiter.tryAcquire(key).await(10, TimeUnit.SECONDS)).isTrue();
    var map = ((io.vertx.spi.cluster.hazelcast.HazelcastClusterManager)
        ((io.vertx.core.internal.VertxInternal) second).clusterManager()).getHazelcastInstance()
        .<String, BucketLevel>getMap(SharedRateLimiter.MAP_PREFIX + "ttl");
    long ttl = map.getEntryView(key).getTtl();
    assertThat(ttl).as("one token at 0.01 a second: 100 s to refill").isBetween(1L, 100_000L);
    assertThat(map.getEntryView(key).getValue().tokens()).isBetween(9.0, 9.5);

    limiter.refund(key);
    // The refund is sent at once and not awaited; a count of the same key, sent after it from this thread, runs
    // after it on the key's partition, so once it answers the refund has been applied.
    assertThat(limiter.hasToken(key).await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(map.containsKey(key)).as("given back to full: no entry").isFalse();
  }
}
