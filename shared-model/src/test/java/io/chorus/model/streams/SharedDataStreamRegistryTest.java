package io.chorus.model.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.llm.StartCompletion;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's leases on Vert.x's local shared data (the same maps API and time-to-live as the
 * cluster's Hazelcast maps, which the system tests' worker kill -9 exercises): one lease per worker
 * covers all its streams, and a stream turns orphan when its worker's lease lapses.
 */
class SharedDataStreamRegistryTest {
  private static final long LEASE_MS = 300;
  /** A chunk that follows the text recorded sends its delta only: the whole text is not even built. */
  private static final Supplier<String> WHOLE_TEXT_NOT_ASKED = () -> {
    throw new AssertionError("the whole text was asked for without a gap");
  };

  private final Vertx vertx = Vertx.vertx();
  private final SharedDataStreamRegistry registry = new SharedDataStreamRegistry(vertx, LEASE_MS);

  @AfterEach
  void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void oneLeaseCoversEveryStreamOfItsWorkerUntilItLapses() throws Exception {
    await(registry.renewLease("w1"));
    StreamState first = stream("w1");
    StreamState second = stream("w1");
    await(registry.register(first));
    await(registry.register(second));
    assertThat(await(registry.orphans())).isEmpty();

    // w1 stops renewing: both its streams become orphans once the lease has lapsed.
    Set<String> orphans = awaitOrphans(Set.of(first.streamId(), second.streamId()));
    assertThat(orphans).containsExactlyInAnyOrder(first.streamId(), second.streamId());

    // A worker that renews again (it was only slow) holds its streams again.
    await(registry.renewLease("w1"));
    assertThat(await(registry.orphans())).isEmpty();
  }

  @Test
  void aStreamOfAWorkerWithoutALeaseIsAnOrphanAndAClaimedOneIsNot() throws Exception {
    // A lease that cannot lapse during the test, however slow the machine: only the missing one matters here.
    SharedDataStreamRegistry registry = new SharedDataStreamRegistry(vertx, 60_000);
    await(registry.renewLease("alive"));
    StreamState kept = stream("alive");
    StreamState unleased = stream("never-leased");
    await(registry.register(kept));
    await(registry.register(unleased));

    assertThat(await(registry.orphans())).containsExactly(unleased.streamId());
    assertThat(await(registry.claim(unleased.streamId()))).isEqualTo(unleased);
    assertThat(await(registry.orphans())).isEmpty();
    assertThat(await(registry.claim(unleased.streamId()))).as("claimed once only").isNull();
    assertThat(await(registry.get(kept.streamId()))).isEqualTo(kept);
  }

  @Test
  void aUserHoldsAtMostMaxSlotsEvenWhenReservingManyAtOnceAndEndingAStreamGivesItsSlotBack() throws Exception {
    String user = UUID.randomUUID().toString();
    // Twenty reservations in flight together, as from several chat nodes: only three can win.
    List<Future<Boolean>> attempts = IntStream.range(0, 20)
        .mapToObj(i -> registry.reserve(user, "s" + i, 3)).toList();
    await(Future.join(attempts));
    List<String> won = IntStream.range(0, 20).filter(i -> attempts.get(i).result()).mapToObj(i -> "s" + i).toList();
    assertThat(won).hasSize(3);
    assertThat(await(registry.reserve(user, "late", 3))).isFalse();
    assertThat(await(registry.reserve(user, won.get(0), 3))).as("a slot already held is held").isTrue();
    assertThat(await(registry.reserve(UUID.randomUUID().toString(), "other", 3))).as("per user").isTrue();

    // A slot whose stream ran and was claimed comes back, as does one released because it never ran.
    await(registry.renewLease("w1"));
    StreamState running = streamOf(user, won.get(0), "w1");
    await(registry.register(running));
    await(registry.claim(running.streamId()));
    assertThat(await(registry.reserve(user, "after-claim", 3))).isTrue();
    assertThat(await(registry.reserve(user, "one-too-many", 3))).isFalse();
    await(registry.release(user, won.get(1)));
    assertThat(await(registry.reserve(user, "after-release", 3))).isTrue();
  }

  @Test
  void aSlotWhoseStreamNeverRegisteredLapsesAfterTheGraceButARunningOneDoesNot() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000);
    SharedDataStreamRegistry clocked = new SharedDataStreamRegistry(vertx, LEASE_MS, 60_000, now::get);
    String user = UUID.randomUUID().toString();
    await(clocked.renewLease("w1"));
    StreamState running = streamOf(user, "running", "w1");
    assertThat(await(clocked.reserve(user, "running", 2))).isTrue();
    await(clocked.register(running));
    assertThat(await(clocked.reserve(user, "lost", 2))).isTrue(); // its chat node dies before starting it
    assertThat(await(clocked.reserve(user, "third", 2))).isFalse();

    now.addAndGet(59_000);
    assertThat(await(clocked.reserve(user, "third", 2))).as("within the grace the lost slot counts").isFalse();
    now.addAndGet(2_000);
    assertThat(await(clocked.reserve(user, "third", 2))).as("the lost slot lapsed").isTrue();
    assertThat(await(clocked.reserve(user, "fourth", 2))).as("the running one still counts").isFalse();
  }

  @Test
  void chunksAreAppendedToTheTextReadersSeeAndAClaimTakesItAndStopsTheWriter() throws Exception {
    StreamState state = stream("w1").withPromptChars(12);
    await(registry.register(state));
    assertThat(await(registry.append(state, 0, "Vert", WHOLE_TEXT_NOT_ASKED))).isTrue();
    assertThat(await(registry.append(state, 1, ".x", WHOLE_TEXT_NOT_ASKED))).isTrue();

    StreamState seen = await(registry.get(state.streamId()));
    assertThat(seen.index()).isEqualTo(1);
    assertThat(seen.text()).isEqualTo("Vert.x");
    assertThat(seen.promptChars()).isEqualTo(12);
    assertThat(await(registry.update(state.withProgress(2, "Vert.x is")))).as("a whole text replaces").isTrue();
    assertThat(await(registry.get(state.streamId())).text()).isEqualTo("Vert.x is");

    StreamState claimed = await(registry.claim(state.streamId()));
    assertThat(claimed.text()).isEqualTo("Vert.x is");
    assertThat(claimed.index()).isEqualTo(2);
    assertThat(await(registry.append(state, 3, " fast", WHOLE_TEXT_NOT_ASKED))).isFalse();
    assertThat(await(registry.claim(state.streamId()))).isNull();
    assertThat(await(registry.get(state.streamId()))).isNull();
  }

  @Test
  void aChunkWhoseRecordingFailedIsRepairedByTheNextAndARetriedChunkIsNotAppendedTwice() throws Exception {
    StreamState state = stream("w1");
    await(registry.register(state));
    await(registry.append(state, 0, "one ", WHOLE_TEXT_NOT_ASKED));
    // chunk 1 ("two ") never reached the registry; chunk 2 finds the gap and sends the whole text
    assertThat(await(registry.append(state, 2, "three", () -> "one two three"))).isTrue();
    assertThat(await(registry.get(state.streamId())).text()).isEqualTo("one two three");

    assertThat(await(registry.append(state, 2, "three", WHOLE_TEXT_NOT_ASKED))).as("retried").isTrue();
    assertThat(await(registry.get(state.streamId())).text()).isEqualTo("one two three");
  }

  private static StreamState streamOf(String userId, String streamId, String workerId) {
    return StreamState.started(new StartCompletion(UUID.randomUUID().toString(), streamId,
        UUID.randomUUID().toString(), userId), workerId);
  }

  private static StreamState stream(String workerId) {
    return StreamState.started(new StartCompletion(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), UUID.randomUUID().toString()), workerId);
  }

  /**
   * The orphans once every one of {@code expected} is among them, asked every 20 ms on a Vert.x timer, or
   * what they were after ten leases' time.
   */
  private Set<String> awaitOrphans(Set<String> expected) throws Exception {
    Promise<Set<String>> found = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEASE_MS * 10);
    vertx.setPeriodic(20, timer -> registry.orphans().onSuccess(orphans -> {
      if (orphans.containsAll(expected) || System.nanoTime() > deadline) {
        vertx.cancelTimer(timer);
        found.tryComplete(orphans);
      }
    }));
    return await(found.future());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(5, TimeUnit.SECONDS);
  }
}
