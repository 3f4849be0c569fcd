package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness.GatewayNode;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.SseClient;
import io.chorus.systemtests.support.SseClient.Event;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Real time without WebSockets (docs/protocol.md, HTTP-only clients): a room's events as Server-Sent Events on
 * any gateway, resumed by seq with nothing lost or repeated (also mid-answer and after losing the gateway), and
 * a send that streams its own answer.
 */
class ServerSentEventsIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static List<String> words(int count) {
    return IntStream.range(0, count).mapToObj(i -> "w" + i + " ").toList();
  }

  private static String events(String conversation) {
    return "/api/conversations/" + conversation + "/events";
  }

  private JsonObject send(Account from, String conversation, String text, boolean ai) {
    return api.expect(201, HttpMethod.POST, "/api/conversations/" + conversation + "/messages", from.token(),
        new JsonObject().put("text", text).put("ai", ai));
  }

  private static void collectUntil(SseClient stream, List<Event> into, java.util.function.Predicate<Event> last) {
    Event event;
    do {
      event = stream.next(WAIT);
      into.add(event);
    } while (!last.test(event));
  }

  @Test
  void aListenerOnTheSecondGatewayGetsAMessageSentOverHttpToTheFirst() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "sse", bob);

    try (SseClient bobStream = SseClient.get(client, cluster.secondGatewayPort(), events(conversation), bob.token(),
        null)) {
      long seq = send(alice, conversation, "hello over http", false).getLong("seq");

      Event event = bobStream.await("new_message", WAIT);
      assertThat(event.id()).isEqualTo(String.valueOf(seq));
      assertThat(event.data().getString("content")).isEqualTo("hello over http");
      assertThat(event.data().getString("username")).isEqualTo(alice.username());
    }
  }

  @Test
  void apiEventsCarriesPersonalEventsAndSeveralRoomsAndItsListenerIsOnline() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String first = api.createConversation(alice, "one", bob);
    String second = api.createConversation(alice, "two", bob);
    String ticket = api.expect(200, HttpMethod.POST, "/api/auth/ticket", bob.token(), null).getString("ticket");
    String path = "/api/events?conversations=" + first + "," + second + "&ticket=" + ticket;

    try (BridgeClient aliceSocket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      aliceSocket.enter(first);
      try (SseClient bobStream = SseClient.get(client, cluster.secondGatewayPort(), path, null, null)) {
        assertThat(aliceSocket.presenceEvents(bob.userId(), 1, WAIT)).containsExactly("user_joined");
        assertThat(SseClient.refusedStatus(client, cluster.secondGatewayPort(), path, null))
            .as("a ticket opens one stream").isEqualTo(401);

        long seq = send(alice, second, "in the second room", false).getLong("seq");
        Event message = bobStream.await("new_message", WAIT);
        assertThat(message.data().getString("conversationId")).isEqualTo(second);
        assertThat(message.data().getLong("seq")).isEqualTo(seq);
        assertThat(message.id()).as("several rooms: no single seq to resume from").isNull();

        String third = api.createConversation(alice, "three", bob);
        Event added = bobStream.await("conversation_added", WAIT);
        assertThat(added.data().getString("conversationId")).isEqualTo(third);
      }
      assertThat(aliceSocket.presenceEvents(bob.userId(), 1, WAIT)).containsExactly("user_left");
    }
  }

  @Test
  void aStreamIsForMembersOfAConversationThatExists() {
    Account alice = api.register("alice");
    Account mallory = api.register("mallory");
    String conversation = api.createConversation(alice, "private");

    assertThat(SseClient.refusedStatus(client, cluster.gatewayPort(), events(conversation), mallory.token()))
        .isEqualTo(403);
    assertThat(SseClient.refusedStatus(client, cluster.gatewayPort(),
        events("00000000-0000-0000-0000-000000000000"), alice.token())).isEqualTo(404);
    assertThat(SseClient.refusedStatus(client, cluster.gatewayPort(), events(conversation), null)).isEqualTo(401);
  }

  @Test
  void aReconnectWithLastEventIdGetsExactlyTheMissedMessagesThenLiveOnes() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "resume");
    String lastId;
    try (SseClient first = SseClient.get(client, cluster.gatewayPort(), events(conversation), alice.token(), null)) {
      send(alice, conversation, "seen", false);
      lastId = first.await("new_message", WAIT).id();
    }
    List<Long> missed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      missed.add(send(alice, conversation, "missed " + i, false).getLong("seq"));
    }

    try (SseClient again = SseClient.get(client, cluster.secondGatewayPort(), events(conversation), alice.token(),
        lastId)) {
      List<Event> replayed = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        replayed.add(again.nextOfTheRoom(WAIT));
      }
      long live = send(alice, conversation, "live", false).getLong("seq");
      Event next = again.nextOfTheRoom(WAIT);

      assertThat(replayed).extracting(Event::type).containsOnly("new_message");
      assertThat(replayed).extracting(e -> Long.parseLong(e.id())).containsExactlyElementsOf(missed);
      assertThat(replayed).extracting(e -> e.data().getString("content"))
          .containsExactly("missed 0", "missed 1", "missed 2", "missed 3", "missed 4");
      assertThat(next.type()).isEqualTo("new_message");
      assertThat(next.id()).isEqualTo(String.valueOf(live));
    }
  }

  @Test
  void aReconnectMidAnswerGetsTheSnapshotAndTheRestOfTheChunks() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "mid-answer");
    List<String> deltas = words(60);
    cluster.provider.answerWith(deltas, 30);
    try {
      String lastId;
      String streamId;
      try (SseClient first = SseClient.get(client, cluster.gatewayPort(), events(conversation), alice.token(),
          null)) {
        // The stream's id from the send's reply: a stream opened a moment before may miss the live ai_thinking
        // while the cluster learns of its new subscription (docs/protocol.md); persisted events it catches up on.
        streamId = send(alice, conversation, "tell me a long story", true).getString("streamId");
        assertThat(streamId).isNotNull();
        lastId = first.await("new_message", WAIT).id();
        for (int i = 0; i < 5; i++) {
          first.await("ai_response_chunk", WAIT);
        }
      }

      try (SseClient again = SseClient.get(client, cluster.secondGatewayPort(), events(conversation),
          alice.token(), lastId)) {
        Event snapshot = again.nextOfTheRoom(WAIT);
        assertThat(snapshot.type()).isEqualTo("ai_stream_snapshot");
        assertThat(snapshot.id()).isNull();
        assertThat(snapshot.data().getString("streamId")).isEqualTo(streamId);
        assertThat(snapshot.data().getLong("index")).as("the answer was still streaming").isGreaterThanOrEqualTo(4);
        StringBuilder rebuilt = new StringBuilder(snapshot.data().getString("text"));
        long index = snapshot.data().getLong("index");
        Event event = again.nextOfTheRoom(WAIT);
        while (event.type().equals("ai_response_chunk")) {
          assertThat(event.data().getLong("index")).isEqualTo(++index);
          rebuilt.append(event.data().getString("delta"));
          event = again.nextOfTheRoom(WAIT);
        }
        assertThat(event.type()).isEqualTo("ai_response_complete");
        assertThat(event.id()).isEqualTo(String.valueOf(Long.parseLong(lastId) + 1));
        assertThat(rebuilt.toString()).isEqualTo(event.data().getString("content")).isEqualTo(String.join("", deltas));
      }
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void aStreamingSendAnswersWithTheMessageAndItsAnswerThenEnds() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "streaming send");
    List<String> deltas = words(8);
    cluster.provider.answerWith(deltas, 5);
    try (SseClient answer = SseClient.post(client, cluster.gatewayPort(),
        "/api/conversations/" + conversation + "/messages", alice.token(),
        new JsonObject().put("text", "stream it").put("ai", true))) {
      List<Event> events = answer.untilEnd(WAIT);

      assertThat(events.get(0).type()).isEqualTo("new_message");
      assertThat(events.get(0).data().getString("content")).isEqualTo("stream it");
      assertThat(events.get(1).type()).isEqualTo("ai_thinking");
      assertThat(events.get(1).data().getString("replyTo")).isEqualTo(events.get(0).data().getString("messageId"));
      Event terminal = events.get(events.size() - 1);
      assertThat(terminal.type()).isEqualTo("ai_response_complete");
      assertThat(events.subList(2, events.size() - 1)).extracting(Event::type).containsOnly("ai_response_chunk");
      StringBuilder text = new StringBuilder();
      events.subList(2, events.size() - 1).forEach(e -> text.append(e.data().getString("delta")));
      assertThat(text.toString()).isEqualTo(terminal.data().getString("content")).isEqualTo(String.join("", deltas));
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  /** The README's Python example, run as a user would, prints the answer as it streams. */
  @Test
  void theReadmePythonExampleAsksAndPrintsTheAnswer() throws Exception {
    cluster.provider.answerWith(List.of("Streams ", "are ", "fun."), 5);
    Path script = Path.of("..", "docs", "examples", "ask.py").toAbsolutePath().normalize();
    Process python = new ProcessBuilder("python3", script.toString(), "http://127.0.0.1:" + cluster.gatewayPort(),
        "py_" + UUID.randomUUID().toString().substring(0, 8), "correct horse battery", "hello?")
        .redirectErrorStream(true).start();
    try {
      assertThat(python.waitFor(60, TimeUnit.SECONDS)).as("the example finishes").isTrue();
      String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(python.exitValue()).as(output).isZero();
      assertThat(output).isEqualTo("Streams are fun.\n");
    } finally {
      python.destroyForcibly();
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  @Test
  void anAnswerGoesOnWhenItsStreamingSendClosesAndAnyMemberStopsIt() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "stop over http", bob);
    cluster.provider.answerWith(words(300), 30);
    try (SseClient bobStream = SseClient.get(client, cluster.secondGatewayPort(), events(conversation), bob.token(),
        null)) {
      String streamId;
      try (SseClient answer = SseClient.post(client, cluster.gatewayPort(),
          "/api/conversations/" + conversation + "/messages", alice.token(),
          new JsonObject().put("text", "go on").put("ai", true))) {
        streamId = answer.await("ai_thinking", WAIT).data().getString("streamId");
        answer.await("ai_response_chunk", WAIT);
      }
      // The sender hung up; the room still gets the answer.
      bobStream.await(e -> e.type().equals("ai_response_chunk") && e.data().getLong("index") >= 3, WAIT);

      JsonObject stopped = api.expect(200, HttpMethod.POST,
          "/api/conversations/" + conversation + "/streams/" + streamId + "/stop", bob.token(), null);

      assertThat(stopped.getBoolean("stopped")).isTrue();
      Event terminal = bobStream.await("ai_response_complete", WAIT);
      assertThat(terminal.data().getString("finishReason")).isEqualTo("cancelled");
      api.expect(404, HttpMethod.POST, "/api/conversations/" + conversation + "/streams/" + streamId + "/stop",
          bob.token(), null);
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  /** A streaming send is an event stream like any other: a logout ends it, and the answer goes on for the room. */
  @Test
  void aStreamingSendEndsWithItsLoginSession() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "logout mid answer", bob);
    cluster.provider.answerWith(words(200), 30);
    try (SseClient bobStream = SseClient.get(client, cluster.gatewayPort(), events(conversation), bob.token(), null);
        SseClient answer = SseClient.post(client, cluster.gatewayPort(),
            "/api/conversations/" + conversation + "/messages", alice.token(),
            new JsonObject().put("text", "long one").put("ai", true))) {
      answer.await("ai_response_chunk", WAIT);

      api.expect(204, HttpMethod.POST, "/api/auth/logout", alice.token(), null);

      List<Event> rest = answer.untilEnd(WAIT);
      Event last = rest.get(rest.size() - 1);
      assertThat(last.type()).isEqualTo("error");
      assertThat(last.data().getInteger("code")).isEqualTo(401);
      assertThat(bobStream.await("ai_response_complete", WAIT).data().getString("finishReason")).isEqualTo("stop");
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }

  /**
   * The per-user bound on event streams (MAX_SOCKETS_PER_USER, 20 by default) counts a stream from its request on:
   * streams asked for together, whose membership checks are all still under way, cannot all pass it.
   */
  @Test
  void streamsAskedForTogetherStayWithinThePerUserBound() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "many streams at once");
    int bound = 20;
    int asked = bound + 5;
    HttpClient http = client.createHttpClient(new HttpClientOptions().setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(asked));
    try {
      RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(cluster.gatewayPort())
          .setURI(events(conversation)).putHeader("accept", "text/event-stream")
          .putHeader("authorization", "Bearer " + alice.token());
      List<Future<Integer>> statuses = IntStream.range(0, asked)
          .mapToObj(i -> http.request(options).compose(HttpClientRequest::send).map(response -> {
            response.exceptionHandler(closedByTheTest -> { });
            return response.statusCode();
          }))
          .toList();
      Wait.on(Future.join(statuses), 20);

      List<Integer> codes = statuses.stream().map(Future::result).toList();
      assertThat(codes).filteredOn(code -> code == 200).hasSize(bound);
      assertThat(codes).filteredOn(code -> code == 429).hasSize(asked - bound);
    } finally {
      http.close();
    }
  }

  @Test
  void aGatewayShuttingDownTellsItsStreamsToReconnectElsewhere() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "drain");
    GatewayNode leaving = cluster.startGatewayNode();
    try (SseClient stream = SseClient.get(client, leaving.port(), events(conversation), alice.token(), null)) {
      send(alice, conversation, "hello", false);
      stream.await("new_message", WAIT);

      Future<Void> stopped = leaving.vertx().close(); // undeploys: the gateway drains as on SIGTERM
      Event notice = stream.await("gateway_closing", WAIT);
      assertThat(notice.data().getLong("reconnectAfterMs")).as("a window to spread the reconnects over")
          .isPositive();
      Wait.until("the gateway ended the stream", WAIT, stream::ended);
      Wait.on(stopped, 60);
    }
  }

  @Test
  void losingTheGatewayMidAnswerAndReconnectingElsewhereLosesNothing() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "failover");
    List<String> deltas = words(80);
    cluster.provider.answerWith(deltas, 30);
    GatewayNode doomed = cluster.startGatewayNode();
    List<Event> seen = new ArrayList<>();
    try {
      String lastId = null;
      String streamId;
      try (SseClient first = SseClient.get(client, doomed.port(), events(conversation), alice.token(), null)) {
        send(alice, conversation, "before", false);
        send(alice, conversation, "a long one please", true);
        // Not ai_thinking: an event without seq published while the cluster is still learning of this new
        // gateway's room can pass it by (docs/protocol.md, Order); the persisted ones cannot.
        streamId = first.await("ai_response_chunk", WAIT).data().getString("streamId");
        doomed.crash();
        Wait.on(doomed.vertx().close(), 30);
        seen.addAll(first.all());
      }
      for (Event e : seen) {
        lastId = e.id() == null ? lastId : e.id();
      }
      send(alice, conversation, "while away", false);

      List<Event> after = new ArrayList<>();
      try (SseClient again = SseClient.get(client, cluster.gatewayPort(), events(conversation), alice.token(),
          lastId)) {
        collectUntil(again, after, e -> e.type().equals("ai_response_complete"));
        long last = send(alice, conversation, "after", false).getLong("seq");
        collectUntil(again, after, e -> e.id() != null && Long.parseLong(e.id()) == last);

        List<Event> all = new ArrayList<>(seen);
        all.addAll(after);
        assertThat(all.stream().filter(e -> e.id() != null).map(e -> Long.parseLong(e.id())).toList())
            .as("every persisted event once, in seq order").containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, last).boxed().toList());
        JsonObject complete = all.stream().filter(e -> e.type().equals("ai_response_complete")).findFirst()
            .orElseThrow().data();
        assertThat(complete.getString("streamId")).isEqualTo(streamId);
        assertThat(complete.getString("content")).isEqualTo(String.join("", deltas));
      }
    } finally {
      cluster.provider.answerWith(List.of("ok"), 0);
    }
  }
}
