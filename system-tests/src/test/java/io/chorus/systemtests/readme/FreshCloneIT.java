package io.chorus.systemtests.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.TestDatabase;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ChorusCommand;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's front door, as a newcomer meets it: HEAD cloned into an empty folder, nothing built, then
 * {@code ./chorus up} and {@code ./chorus cluster} exactly as the Quick start says. Runs last in
 * {@code ./chorus test} (its own failsafe execution), so CI runs the README on every submission.
 */
@TestMethodOrder(OrderAnnotation.class)
class FreshCloneIT {
  /** A fresh clone builds everything first; on a busy 2-core CI machine that can take a few minutes. */
  private static final Duration FIRST_START = Duration.ofMinutes(8);
  private static final Duration START = Duration.ofMinutes(2);
  private static final Duration STOP = Duration.ofSeconds(90);
  private static final Duration EVENT = Duration.ofSeconds(30);

  private static Path checkout;
  private static Vertx client;
  private static TestDatabase database;

  @BeforeAll
  static void cloneHead() throws Exception {
    Path repository = Path.of("..").toAbsolutePath().normalize();
    // Under target/, not the shared /tmp, where another job's clean-up could take it away mid-test.
    Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
    checkout = Files.createTempDirectory(target, "fresh-clone-").resolve("chorus");
    Process clone = new ProcessBuilder("git", "clone", "-q", repository.toString(), checkout.toString())
        .inheritIO().start();
    assertThat(clone.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(clone.exitValue()).as("git clone of HEAD").isZero();
    client = Vertx.vertx();
    database = TestDatabase.fresh();
  }

  @AfterAll
  static void removeClone() throws IOException {
    if (database != null) {
      database.drop();
    }
    if (client != null) {
      client.close();
    }
    if (checkout != null) {
      try (Stream<Path> files = Files.walk(checkout.getParent())) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  @Order(0)
  void anUnknownCommandSaysSoAndFails() {
    try (ChorusCommand typo = ChorusCommand.start(checkout, Map.of(), "start")) {
      assertThat(typo.awaitExit(STOP)).isEqualTo(2);
      assertThat(typo.output()).contains("unknown command 'start'").contains("./chorus up");
    }
  }

  @Test
  @Order(1)
  void upOnAFreshCloneBuildsStartsServesTheContractAndStopsCleanly() {
    int http = freePorts(1);
    try (ChorusCommand up = ChorusCommand.start(checkout, standaloneSettings(http), "up")) {
      awaitReady(up, http, FIRST_START);
      assertThat(up.output()).contains("building the jars");
      up.awaitOutput("Chorus is up", START);
      assertThat(up.lastLine()).isEqualTo("Chorus is up: open http://localhost:" + http + "/");

      try (ApiClient api = new ApiClient(client, http)) {
        Account alice = api.register("alice");
        Account bob = api.register("bob");
        String conversation = api.createConversation(alice, "first ten minutes", bob);
        exchangeAMessageAndAnAnswer(alice, http, bob, http, conversation);
      }

      up.signal("TERM");
      assertStoppedCleanly(up, up.awaitExit(STOP), 143, "chorus stopped");
    }
  }

  @Test
  @Order(2)
  void aRestartWithoutJwtSecretKeepsEveryoneSignedIn() throws IOException {
    int http = freePorts(1);
    Account alice;
    String conversation;
    try (ChorusCommand up = ChorusCommand.start(checkout, standaloneSettings(http), "up");
        ApiClient api = new ApiClient(client, http)) {
      awaitReady(up, http, FIRST_START);
      alice = api.register("alice");
      conversation = api.createConversation(alice, "still here after a restart");
      up.signal("TERM");
      up.awaitExit(STOP);
    }
    Path key = checkout.resolve("data/jwt-secret");
    assertThat(Files.getPosixFilePermissions(key)).as("the signing key is the owner's only")
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

    try (ChorusCommand again = ChorusCommand.start(checkout, standaloneSettings(http), "up");
        ApiClient api = new ApiClient(client, http)) {
      awaitReady(again, http, START);
      assertThat(again.output()).contains("signing tokens with the key in");
      JsonObject list = api.expect(200, HttpMethod.GET, "/api/conversations", alice.token(), null);
      assertThat(list.encode()).contains(conversation);
      again.signal("TERM");
      again.awaitExit(STOP);
    }
  }

  @Test
  @Order(3)
  void clusterCarriesAMessageAcrossTwoGatewaysAndCtrlCStopsEveryJvm() {
    int http = freePorts(2);
    Map<String, String> settings = new HashMap<>(Map.of(
        "PG_URI", database.uri(), "HTTP_PORT", String.valueOf(http),
        "CLUSTER_PORT", String.valueOf(freePorts(5)), "OPS_PORT", String.valueOf(freePorts(3)),
        "CLUSTER_NAME", "fresh-clone-" + ThreadLocalRandom.current().nextInt(1_000_000)));
    try (ChorusCommand cluster = ChorusCommand.start(checkout, settings, "cluster", "--gateways", "2", "--llm", "1")) {
      cluster.awaitOutput("is up: storage, chat, 1 LLM worker(s), 2 gateway(s)", FIRST_START);
      List<ProcessHandle> jvms = cluster.processTree().stream()
          .filter(p -> p.info().command().orElse("").endsWith("java")).toList();
      assertThat(jvms).as("storage, chat, one LLM worker, two gateways").hasSize(5);

      try (ApiClient first = new ApiClient(client, http); ApiClient second = new ApiClient(client, http + 1)) {
        Account alice = first.register("alice");
        Account bob = first.register("bob");
        String conversation = first.createConversation(alice, "across gateways", bob);
        // bob's token, signed by gateway 1, works on gateway 2: the gateways share the kept key.
        second.expect(200, HttpMethod.GET, "/api/conversations", bob.token(), null);
        exchangeAMessageAndAnAnswer(alice, http, bob, http + 1, conversation);
      }

      cluster.signal("INT");
      int status = cluster.awaitExit(STOP);
      assertStoppedCleanly(cluster, status, 130, "all stopped");
      assertThat(jvms).as("every JVM of the cluster has exited").noneMatch(ProcessHandle::isAlive);
      assertThat(errorLinesInClusterLogs()).as("ERROR lines in the processes' logs").isEmpty();
    }
  }

  /** Each ERROR line of the cluster's process logs with the lines after it (its stack trace; CI keeps no logs). */
  private static List<String> errorLinesInClusterLogs() {
    List<String> errors = new ArrayList<>();
    try (Stream<Path> logs = Files.walk(checkout.resolve("data/cluster-logs"))) {
      for (Path log : logs.filter(path -> path.toString().endsWith(".log")).toList()) {
        errors.addAll(errorsIn(log.getFileName().toString(), Files.readAllLines(log)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return errors;
  }

  private static List<String> errorsIn(String source, List<String> lines) {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(" ERROR ")) {
        errors.add(source + ": " + String.join("\n", lines.subList(i, Math.min(lines.size(), i + 25))));
      }
    }
    return errors;
  }

  /** alice (on one gateway) writes to bob (on another, or the same); then asks the demo assistant. */
  private static void exchangeAMessageAndAnAnswer(Account alice, int alicePort, Account bob, int bobPort,
      String conversation) {
    try (BridgeClient aliceSocket = BridgeClient.connect(client, alicePort, alice.token());
        BridgeClient bobSocket = BridgeClient.connect(client, bobPort, bob.token())) {
      aliceSocket.enter(conversation);
      bobSocket.enter(conversation);

      JsonObject sent = aliceSocket.call("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "hello from the README").put("clientMsgId", "fresh-1").put("ai", false));
      JsonObject received = bobSocket.awaitEvent(e -> "new_message".equals(e.getString("type")), EVENT);
      assertThat(received.getString("messageId")).isEqualTo(sent.getString("messageId"));
      assertThat(received.getString("content")).isEqualTo("hello from the README");

      aliceSocket.call("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "what can you do?").put("clientMsgId", "fresh-2").put("ai", true));
      JsonObject thinking = bobSocket.awaitEvent(e -> "ai_thinking".equals(e.getString("type")), EVENT);
      StringBuilder streamed = new StringBuilder();
      JsonObject done = bobSocket.followStream(thinking.getString("streamId"),
          chunk -> streamed.append(chunk.getString("delta")), Duration.ofMinutes(1));
      assertThat(done.getString("type")).isEqualTo("ai_response_complete");
      assertThat(done.getString("content")).startsWith("[demo]").isEqualTo(streamed.toString());
    }
  }

  private static void awaitReady(ChorusCommand command, int port, Duration timeout) {
    try (ApiClient api = new ApiClient(client, port)) {
      command.awaitWhileRunning("/health/ready answers 200 on port " + port, timeout, () -> {
        try {
          return api.call(HttpMethod.GET, "/health/ready", null, null).statusCode() == 200;
        } catch (Exception | AssertionError notYet) {
          // Not listening yet (connection refused, a checked exception Vert.x rethrows as it is).
          return false;
        }
      });
    }
  }

  /** Ended by the signal it was sent, after saying it stopped, with no error on the way. */
  private static void assertStoppedCleanly(ChorusCommand command, int status, int expectedStatus, String stopped) {
    String output = command.output();
    assertThat(status).as("exit status (128 + the signal)\n" + command.tail()).isEqualTo(expectedStatus);
    assertThat(output).as("the output says it stopped").contains(stopped);
    assertThat(errorsIn("output", output.lines().toList())).as("ERROR lines").isEmpty();
  }

  private static Map<String, String> standaloneSettings(int http) {
    // Only what a second checkout on this machine would need: its own port and database.
    return Map.of("HTTP_PORT", String.valueOf(http), "PG_URI", database.uri());
  }

  /**
   * The first of {@code count} consecutive free ports, below Linux's ephemeral range (32768-60999), where a
   * port found free could be taken by any outgoing connection or random bind (the event bus's) a moment later.
   */
  private static int freePorts(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(12_000, 19_000);
      boolean free = true;
      for (int port = base; port < base + count && free; port++) {
        try (ServerSocket probe = new ServerSocket(port)) {
          probe.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new AssertionError("no " + count + " consecutive free ports");
  }
}
