package io.chorus.model.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.llm.StartCompletion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stream registry's texts on a real two-node Hazelcast cluster: a worker's chunks, sent as deltas, are
 * the text another node reads and claims; once claimed elsewhere, a chunk is refused; and the text outlives
 * the node that wrote it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamTextsIT {
  private ClusterSettings settings;
  private Vertx worker;
  private Vertx other;

  @BeforeAll
  void startCluster() throws Exception {
    settings = ClusterSettings.loopback("streams-" + UUID.randomUUID(),
        ThreadLocalRandom.current().nextInt(20_000, 40_000));
    worker = ClusterNode.start(settings, new VertxOptions()).await(60, TimeUnit.SECONDS);
    ClusterSettings second = new ClusterSettings(settings.host(), settings.port() + 1, settings.members(),
        settings.name(), null);
    other = ClusterNode.start(second, new VertxOptions()).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    other.close().await(30, TimeUnit.SECONDS);
    worker.close().await(30, TimeUnit.SECONDS);
  }

  private static StreamState stream() {
    return StreamState.started(new StartCompletion(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), "u1"), "w1");
  }

  /** A new stream of worker w1, with its lease, registered through {@code writer}. */
  private static StreamState registeredOn(StreamRegistry writer) throws Exception {
    StreamState state = stream();
    await(writer.renewLease("w1"));
    await(writer.register(state));
    return state;
  }

  @Test
  void aLongAnswersChunksReadAsItsWholeTextFromTheOtherNode() throws Exception {
    StreamRegistry writer = new SharedDataStreamRegistry(worker);
    StreamRegistry reader = new SharedDataStreamRegistry(other);
    StreamState state = registeredOn(writer);

    StringBuilder text = new StringBuilder();
    int chunks = StreamText.CHUNKS_BEFORE_JOIN * 2 + 3; // kept apart, joined twice, apart again
    for (int i = 0; i < chunks; i++) {
      String delta = "token" + i + " ";
      text.append(delta);
      String soFar = text.toString();
      assertThat(await(writer.append(state, i, delta, () -> soFar))).isTrue();
      if (i % 20 == 0 || i == chunks - 1) {
        StreamState seen = await(reader.get(state.streamId()));
        assertThat(seen.text()).isEqualTo(soFar);
        assertThat(seen.index()).isEqualTo(i);
      }
    }
    assertThat(await(reader.claim(state.streamId())).text()).isEqualTo(text.toString());
  }

  @Test
  void deltasAreTheTextOtherNodesReadAndClaimAndAClaimStopsTheWriter() throws Exception {
    StreamRegistry writer = new SharedDataStreamRegistry(worker);
    StreamRegistry reader = new SharedDataStreamRegistry(other);
    StreamState state = registeredOn(writer);

    state = state.withPromptChars(40);
    assertThat(await(writer.append(state, 0, "Hello", () -> "Hello"))).isTrue();
    assertThat(await(writer.append(state, 1, ", world", () -> "Hello, world"))).isTrue();

    StreamState seen = await(reader.get(state.streamId()));
    assertThat(seen.index()).isEqualTo(1);
    assertThat(seen.text()).isEqualTo("Hello, world");
    assertThat(seen.promptChars()).isEqualTo(40);
    assertThat(seen.conversationId()).isEqualTo(state.conversationId());
    assertThat(await(reader.ofConversation(state.conversationId()))).extracting(StreamState::text)
        .containsExactly("Hello, world");

    // Chunk 2 was never recorded: chunk 3 finds the gap and the whole text goes instead.
    assertThat(await(writer.append(state, 3, " all", () -> "Hello, world and all"))).isTrue();
    assertThat(await(reader.get(state.streamId())).text()).isEqualTo("Hello, world and all");

    StreamState claimed = await(reader.claim(state.streamId()));
    assertThat(claimed.text()).isEqualTo("Hello, world and all");
    assertThat(claimed.workerId()).isEqualTo("w1");
    assertThat(await(writer.append(state, 4, "!", () -> "Hello, world and all!"))).as("claimed elsewhere")
        .isFalse();
    assertThat(await(writer.claim(state.streamId()))).as("claimed once").isNull();
    assertThat(await(reader.get(state.streamId()))).isNull();
  }

  @Test
  void aUsersSlotsHoldAcrossNodesAndAConversationsStreamsAreSeenFromEither() throws Exception {
    StreamRegistry chatA = new SharedDataStreamRegistry(worker);
    StreamRegistry chatB = new SharedDataStreamRegistry(other);
    String user = UUID.randomUUID().toString();
    // Twenty reservations in flight together from two nodes: only three can win.
    List<Future<Boolean>> attempts = IntStream.range(0, 20)
        .mapToObj(i -> (i % 2 == 0 ? chatA : chatB).reserve(user, "s" + i, 3)).toList();
    await(Future.join(attempts));
    List<String> won = IntStream.range(0, 20).filter(i -> attempts.get(i).result()).mapToObj(i -> "s" + i).toList();
    assertThat(won).hasSize(3);
    assertThat(await(chatB.reserve(user, won.get(0), 3))).as("a slot already held is held").isTrue();
    await(chatA.release(user, won.get(1)));
    assertThat(await(chatB.reserve(user, "after-release", 3))).isTrue();
    assertThat(await(chatA.reserve(user, "one-too-many", 3))).isFalse();

    // A slot older than the grace whose stream never registered is looked up and dropped; a running one stays.
    AtomicLong now = new AtomicLong(System.currentTimeMillis());
    StreamRegistry clocked = new SharedDataStreamRegistry(other, SharedDataStreamRegistry.LEASE_MS, 60_000, now::get);
    String second = UUID.randomUUID().toString();
    await(clocked.renewLease("w1"));
    StreamState running = StreamState.started(new StartCompletion(UUID.randomUUID().toString(), "running",
        UUID.randomUUID().toString(), second), "w1");
    assertThat(await(clocked.reserve(second, "running", 2))).isTrue();
    await(clocked.register(running));
    assertThat(await(clocked.reserve(second, "lost", 2))).isTrue();
    assertThat(await(clocked.reserve(second, "third", 2))).isFalse();
    now.addAndGet(61_000);
    assertThat(await(clocked.reserve(second, "third", 2))).as("the lost slot lapsed").isTrue();
    assertThat(await(clocked.reserve(second, "fourth", 2))).as("the running one still counts").isFalse();

    // The conversation's index: registered on one node, listed on the other, gone once claimed.
    StreamState a = StreamState.started(new StartCompletion("conv-x", UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), user), "w1");
    StreamState b = StreamState.started(new StartCompletion("conv-x", UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), user), "w1");
    await(chatA.register(a));
    await(chatB.register(b));
    assertThat(await(chatB.ofConversation("conv-x"))).extracting(StreamState::streamId)
        .containsExactlyInAnyOrder(a.streamId(), b.streamId());
    await(chatB.claim(a.streamId()));
    assertThat(await(chatA.ofConversation("conv-x"))).extracting(StreamState::streamId).containsExactly(b.streamId());
    await(chatA.claim(b.streamId()));
    assertThat(await(chatA.ofConversation("conv-x"))).isEmpty();
  }

  @Test
  void aTextOutlivesTheNodeThatWroteIt() throws Exception {
    Vertx leaving = ClusterNode.start(new ClusterSettings(settings.host(), settings.port() + 2, settings.members(),
        settings.name(), null), new VertxOptions()).await(60, TimeUnit.SECONDS);
    StreamRegistry writer = new SharedDataStreamRegistry(leaving);
    StreamState state = stream();
    await(writer.register(state));
    assertThat(await(writer.append(state, 0, "partial", () -> "partial"))).isTrue();
    leaving.close().await(30, TimeUnit.SECONDS);

    StreamState claimed = await(new SharedDataStreamRegistry(other).claim(state.streamId()));
    assertThat(claimed.text()).isEqualTo("partial");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }
}
