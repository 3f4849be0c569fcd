package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.BridgeSocket;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.HeapSampler;
import io.chorus.systemtests.support.OpsProbe;
import io.chorus.systemtests.support.SseClient;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: a socket that stops reading in a busy room. Carol and dave register, join, keep pinging and stop
 * reading; alice sends {@value #MESSAGES} messages of 8 KB (about 24 MB for each of them) while bob reads.
 * The gateway closes both slow sockets once more than {@code SOCKET_QUEUE_BYTES} (the default, 1 MiB) waits for
 * each, and its live heap stays within a few MB of that, where it held everything before; bob keeps up
 * throughout. Carol reads again soon after (within the close's grace): she gets the {@code slow_consumer} notice
 * and the close code 4008. Dave never reads again: his connection is dropped. Both reconnect and find every
 * message they missed in history.
 */
class SlowReaderIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MESSAGES = 3_000;
  private static final int IN_FLIGHT = 8;
  private static final long MB = 1024 * 1024;
  private static final String TEXT = "x".repeat(8 * 1024);

  private final OpsProbe ops = new OpsProbe(io.vertx.core.Vertx.vertx());

  @Override
  protected ClusterHarness startCluster() {
    return ClusterHarness.start(Map.of("CHAT_MESSAGES_PER_SECOND", "1000000", "CHAT_MESSAGES_BURST", "1000000"),
        true);
  }

  @AfterAll
  void closeProbe() {
    ops.close();
  }

  private double slowClosed() {
    return OpsProbe.sample(ops.metrics(cluster.gatewayPort()), "chorus_gateway_sockets_slow_total");
  }

  @Test
  void aSocketThatStopsReadingIsClosedAtTheBoundAndCatchesUpFromHistory() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    Account carol = api.register("carol");
    Account dave = api.register("dave");
    String room = api.createConversation(alice, "busy", bob, carol, dave);
    AtomicLong bobReceived = new AtomicLong();
    double slowBefore = slowClosed();
    // Nobody keeps event bodies (a test client's inbox would hold the 24 MB in this JVM's heap, where the gateway's
    // is measured): alice only sends, bob counts, carol and dave note the last seq they got.
    WebSocketClient sockets = client.createWebSocketClient();
    BridgeSocket bobSocket = connect(sockets, bob, event -> {
      if ("new_message".equals(event.getString("type"))) {
        bobReceived.incrementAndGet();
      }
    });
    AtomicLong carolsLastSeq = new AtomicLong();
    AtomicBoolean carolWarned = new AtomicBoolean();
    BridgeSocket carolSocket = connect(sockets, carol, event -> {
      carolsLastSeq.accumulateAndGet(event.getLong("seq", 0L), Math::max);
      if ("slow_consumer".equals(event.getString("type"))) {
        carolWarned.set(true);
      }
    });
    AtomicLong davesLastSeq = new AtomicLong();
    BridgeSocket daveSocket = connect(sockets, dave,
        event -> davesLastSeq.accumulateAndGet(event.getLong("seq", 0L), Math::max));
    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
        HeapSampler heap = HeapSampler.start()) {
      Wait.on(bobSocket.enterRoom(room), 15);
      Wait.on(carolSocket.register("client.user." + carol.userId()), 15);
      Wait.on(carolSocket.enterRoom(room), 15);
      Wait.on(daveSocket.enterRoom(room), 15);
      carolSocket.pauseReading();
      daveSocket.pauseReading();

      // Alice sends, a few at a time as a busy room would; how far bob is behind is read at each reply.
      AtomicInteger sent = new AtomicInteger();
      AtomicLong bobsWorstLag = new AtomicLong();
      List<Future<JsonObject>> sends = new ArrayList<>();
      boolean carolReads = false;
      for (int i = 0; i < MESSAGES; i += IN_FLIGHT) {
        List<Future<JsonObject>> batch = new ArrayList<>();
        for (int j = i; j < Math.min(MESSAGES, i + IN_FLIGHT); j++) {
          batch.add(aliceSocket.request("client.chat.send", new JsonObject().put("conversationId", room)
              .put("text", TEXT).put("clientMsgId", "m" + j)).onSuccess(reply -> {
                long behind = sent.incrementAndGet() - bobReceived.get();
                bobsWorstLag.accumulateAndGet(behind, Math::max);
              }));
        }
        Wait.on(Future.all(batch), 30);
        sends.addAll(batch);
        if (!carolReads && slowClosed() - slowBefore >= 2) {
          // Both are closed as slow: carol reads again at once, within the close's grace, as a client whose
          // link came back would; dave never does.
          carolSocket.resumeReading();
          carolReads = true;
        }
      }
      assertThat(carolReads).as("both slow sockets were closed while alice was still sending").isTrue();
      Wait.until("bob has every message", WAIT, () -> bobReceived.get() == MESSAGES);
      Wait.until("the gateway dropped dave's connection and closed carol's", WAIT,
          () -> carolSocket.isClosed() && openSockets() <= 2);
      System.out.println("SlowReaderIT: " + heap.report() + "; bob at most " + bobsWorstLag.get()
          + " messages behind alice's replies");

      // 2 x 24 MB were sent to sockets that read nothing: without a bound the heap held most of it.
      assertThat(heap.peakLiveAboveBaseline()).as("live heap above the baseline").isLessThan(12 * MB);
      assertThat(bobsWorstLag.get()).as("bob keeps up while the slow sockets fill").isLessThan(64);
      assertThat(slowClosed() - slowBefore).isEqualTo(2);

      // Carol read again within the grace: what was queued, the notice, then the documented close.
      assertThat(carolWarned).as("carol got the slow_consumer event").isTrue();
      assertThat(carolSocket.closeStatus()).isEqualTo((short) 4008);
      long lastSent = sends.stream().mapToLong(f -> f.result().getLong("seq")).max().orElseThrow();
      assertThat(carolsLastSeq.get()).as("she got some, not all").isLessThan(lastSent);

      daveSocket.resumeReading();
      Wait.until("dave's client sees the end of the connection", WAIT, daveSocket::isClosed);

      // Both reconnect as the protocol says, and history has every message they missed.
      Set<Long> expected = new TreeSet<>();
      sends.forEach(reply -> expected.add(reply.result().getLong("seq")));
      assertThat(missedFromHistory(carol, room, carolsLastSeq.get()))
          .containsAll(seqsAfter(expected, carolsLastSeq.get()));
      assertThat(missedFromHistory(dave, room, davesLastSeq.get()))
          .containsAll(seqsAfter(expected, davesLastSeq.get()));
    } finally {
      List.of(bobSocket, carolSocket, daveSocket).forEach(socket -> socket.close());
      sockets.close();
    }
  }

  /**
   * The same bound for an HTTP-only reader (issue 16): erin's event stream stops being read while alice sends;
   * the gateway ends it with the documented {@code error} event once the bound is passed, and her reconnect
   * with {@code Last-Event-ID} gets every message she missed, in order, without a gap.
   */
  @Test
  void anEventStreamThatStopsReadingIsEndedAtTheBoundAndResumesFromItsLastEventId() {
    Account alice = api.register("alice");
    Account erin = api.register("erin");
    String room = api.createConversation(alice, "busy over http", erin);
    String events = "/api/conversations/" + room + "/events";
    double slowBefore = slowEventStreams();
    List<Long> sent = new ArrayList<>();
    long lastSeen;
    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
        SseClient erinStream = SseClient.get(client, cluster.gatewayPort(), events, erin.token(), null)) {
      aliceSocket.enter(room);
      erinStream.pauseReading();
      for (int i = 0; i < MESSAGES && slowEventStreams() == slowBefore; i += IN_FLIGHT) {
        List<Future<JsonObject>> batch = new ArrayList<>();
        for (int j = i; j < Math.min(MESSAGES, i + IN_FLIGHT); j++) {
          batch.add(aliceSocket.request("client.chat.send", new JsonObject().put("conversationId", room)
              .put("text", TEXT).put("clientMsgId", "h" + j)));
        }
        Wait.on(Future.all(batch), 30);
        batch.forEach(reply -> sent.add(reply.result().getLong("seq")));
      }
      assertThat(slowEventStreams() - slowBefore).as("erin's stream was ended as a slow consumer").isEqualTo(1);
      // More messages after the end: they reach her only through the resume.
      for (int j = 0; j < IN_FLIGHT; j++) {
        sent.add(aliceSocket.call("client.chat.send", new JsonObject().put("conversationId", room)
            .put("text", "after the end " + j)).getLong("seq"));
      }

      erinStream.resumeReading(); // within the grace: she reads what was queued, then why it ended
      List<SseClient.Event> got = erinStream.untilEnd(WAIT);
      SseClient.Event last = got.get(got.size() - 1);
      assertThat(last.type()).isEqualTo("error");
      assertThat(last.data().getString("error")).startsWith("slow consumer");
      lastSeen = got.stream().filter(e -> e.type().equals("new_message")).mapToLong(SseClient.Event::seq).max()
          .orElse(0);
      assertThat(lastSeen).as("she got some, not all").isLessThan(sent.get(sent.size() - 1));
    }

    // In seq order: sends in flight together are stored in whatever order storage takes them.
    List<Long> missed = sent.stream().filter(seq -> seq > lastSeen).sorted().toList();
    List<Long> resumed = new ArrayList<>();
    try (SseClient again = SseClient.get(client, cluster.gatewayPort(), events, erin.token(),
        Long.toString(lastSeen))) {
      while (resumed.size() < missed.size()) {
        resumed.add(again.await("new_message", WAIT).seq());
      }
    }
    assertThat(resumed).as("every message she missed, in order, once").isEqualTo(missed);
  }

  /**
   * The bridge answers a frame that is not JSON itself, straight to the socket: a client that sends such frames and
   * never reads made the gateway hold every answer (hundreds of MB from one account). Now everything written to a
   * socket counts towards a hard bound (twice {@code SOCKET_QUEUE_BYTES}), the bridge's own answers too: frank's
   * socket is dropped once the kernel's buffers and then the bound are full, while his frames keep coming.
   */
  @Test
  void aSocketThatSendsBadFramesAndNeverReadsIsDroppedAtTheBound() {
    Account frank = api.register("frank");
    double slowBefore = slowClosed();
    WebSocketClient sockets = client.createWebSocketClient();
    BridgeSocket frankSocket = connect(sockets, frank, event -> { });
    try {
      frankSocket.pauseReading();
      // Each "x" is answered with about 40 bytes; 10 million frames would be 400 MB of answers.
      int sent = 0;
      while (slowClosed() == slowBefore && sent < 10_000_000) {
        Future<Void> last = null;
        for (int i = 0; i < 20_000; i++) {
          last = frankSocket.sendText("x");
        }
        sent += 20_000;
        // A write that fails is the connection the gateway has just dropped: the count below says why.
        if (Wait.on(last.transform(ar -> Future.succeededFuture(ar.failed())), 30)) {
          break;
        }
      }
      int frames = sent;
      Wait.until("frank's socket is counted as dropped, after " + frames + " frames", WAIT,
          () -> slowClosed() - slowBefore >= 1);
      assertThat(slowClosed() - slowBefore).isEqualTo(1);
      frankSocket.resumeReading();
      Wait.until("frank's client sees the end of the connection", WAIT, frankSocket::isClosed);
    } finally {
      frankSocket.close();
      sockets.close();
    }
  }

  /**
   * A page of history stops at about 512 KiB of text, so long messages come in pages shorter than asked for: a resumed
   * event stream still replays every one of them, in order, and so does a bridge client paging on to the last seq.
   */
  @Test
  void longMessagesAreReplayedWholeAcrossPagesCutShortByTheirSize() {
    Account alice = api.register("alice");
    Account ivan = api.register("ivan");
    String room = api.createConversation(alice, "long ones", ivan);
    String text = "\u00e9".repeat(16_000); // 32,000 bytes: a page holds 17 of them, whatever its limit
    List<Long> sent = new ArrayList<>();
    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      for (int i = 0; i < 80; i++) {
        sent.add(aliceSocket.call("client.chat.send", new JsonObject().put("conversationId", room).put("text", text))
            .getLong("seq"));
      }
    }
    List<Long> replayed = new ArrayList<>();
    try (SseClient stream = SseClient.get(client, cluster.gatewayPort(), "/api/conversations/" + room + "/events",
        ivan.token(), "0")) {
      while (replayed.size() < sent.size()) {
        SseClient.Event event = stream.await("new_message", WAIT);
        assertThat(event.data().getString("content")).hasSize(16_000);
        replayed.add(event.seq());
      }
    }
    assertThat(replayed).as("every one, in order, once").isEqualTo(sent);
    assertThat(missedFromHistory(ivan, room, 0)).containsExactlyElementsOf(sent);
  }

  private double slowEventStreams() {
    return OpsProbe.sample(ops.metrics(cluster.gatewayPort()), "chorus_gateway_event_streams_slow_total");
  }

  private BridgeSocket connect(WebSocketClient sockets, Account who, Consumer<JsonObject> events) {
    return Wait.on(BridgeSocket.connect(client, sockets, "127.0.0.1", cluster.gatewayPort(), who.token(), events), 10);
  }

  private int openSockets() {
    return (int) OpsProbe.sample(ops.metrics(cluster.gatewayPort()), "chorus_gateway_connections");
  }

  private static Set<Long> seqsAfter(Set<Long> seqs, long after) {
    Set<Long> out = new TreeSet<>();
    seqs.stream().filter(s -> s > after).forEach(out::add);
    return out;
  }

  /** A new socket, the room again, then history after {@code lastSeq} page by page. */
  private Set<Long> missedFromHistory(Account who, String room, long lastSeq) {
    Set<Long> seqs = new TreeSet<>();
    try (BridgeClient again = BridgeClient.connect(client, cluster.gatewayPort(), who.token())) {
      again.enter(room);
      long after = lastSeq;
      while (true) {
        JsonArray page = again.call("client.chat.history", new JsonObject().put("conversationId", room)
            .put("afterSeq", after).put("limit", 100)).getJsonArray("messages");
        if (page.isEmpty()) {
          return seqs;
        }
        for (int i = 0; i < page.size(); i++) {
          after = Math.max(after, page.getJsonObject(i).getLong("seq"));
          seqs.add(page.getJsonObject(i).getLong("seq"));
        }
      }
    }
  }
}
