package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.TestDatabase;
import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.model.Env;
import io.chorus.storage.AdminTool;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.ServiceProcess;
import io.chorus.systemtests.support.SseClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operators' controls (issue 19) across two gateways running as separate JVMs: announcements reach every socket on
 * both once, a disconnect closes a user's tabs on both, a suspension closes their sockets and refuses their token on
 * both and their login, a non-admin is refused every admin call, and each admin call is in the audit table.
 */
class AdminIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String ADMIN = "root_" + UUID.randomUUID().toString().substring(0, 8);

  private final List<ServiceProcess> gateways = new ArrayList<>();
  private ApiClient one;
  private ApiClient two;
  private int portOne;
  private int portTwo;
  private Account admin;

  @Override
  protected ClusterHarness startCluster() {
    return ClusterHarness.start(Map.of("ADMIN_USERS", ADMIN.toUpperCase()), true);
  }

  @BeforeAll
  void startGatewayProcesses() {
    portOne = ClusterHarness.freePort();
    // Added before they are awaited, so that a slow start is still stopped afterwards.
    gateways.add(cluster.startService("admin-gateway-1", io.chorus.gateway.Main.class,
        Map.of("HTTP_PORT", String.valueOf(portOne), "NODE_NAME", "admin-gateway-1")));
    portTwo = ClusterHarness.freePort();
    gateways.add(cluster.startService("admin-gateway-2", io.chorus.gateway.Main.class,
        Map.of("HTTP_PORT", String.valueOf(portTwo), "NODE_NAME", "admin-gateway-2")));
    // Two JVMs starting at once on two shared cores: a minute each is not always enough.
    gateways.forEach(gateway -> gateway.awaitUp(180));
    one = new ApiClient(client, portOne);
    two = new ApiClient(client, portTwo);
    JsonObject registered = one.expect(201, HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("username", ADMIN).put("password", "correct horse battery"));
    assertThat(registered.getBoolean("admin")).as("ADMIN_USERS names them (in another case)").isTrue();
    admin = new Account(registered.getString("userId"), ADMIN, registered.getString("token"));
  }

  @AfterAll
  void stopGatewayProcesses() {
    // The processes first: a start that failed half-way leaves no client, and must leave no process either.
    gateways.forEach(ServiceProcess::close);
    for (ApiClient api : new ApiClient[] {one, two}) {
      if (api != null) {
        api.close();
      }
    }
  }

  @Test
  void anAnnouncementReachesEverySocketOnBothGatewaysOnceAndCanBeCaughtUpOn() {
    Account alice = one.register("alice");
    Account bob = one.register("bob");
    Account frank = one.register("frank");
    JsonObject first;
    JsonObject second;
    try (BridgeClient aliceOnOne = personal(portOne, alice); BridgeClient aliceOnTwo = personal(portTwo, alice);
        BridgeClient bobOnTwo = personal(portTwo, bob);
        SseClient frankOverHttp = SseClient.get(client, portOne, "/api/events", frank.token(), null)) {
      first = one.expect(201, HttpMethod.POST, "/api/admin/announcements", admin.token(),
          new JsonObject().put("text", "maintenance at noon").put("level", "warning"));
      second = two.expect(201, HttpMethod.POST, "/api/admin/announcements", admin.token(),
          new JsonObject().put("text", "done").put("level", "info"));
      for (BridgeClient socket : List.of(aliceOnOne, aliceOnTwo, bobOnTwo)) {
        JsonObject heard = socket.awaitEvent(announcement(first), WAIT);
        assertThat(heard.getString("text")).isEqualTo("maintenance at noon");
        assertThat(heard.getString("level")).isEqualTo("warning");
        assertThat(heard.getString("createdAt")).isEqualTo(first.getString("createdAt"));
        // Both travel the same way in order: once the second is in, a duplicate of the first would be too.
        socket.awaitEvent(announcement(second), WAIT);
        assertThat(socket.drainEvents()).as("nothing twice").noneMatch(announcement(first).or(announcement(second)));
      }
      // An HTTP-only client (Server-Sent Events, no socket at all) hears it too, once.
      frankOverHttp.await(e -> "announcement".equals(e.type())
          && second.getString("announcementId").equals(e.data().getString("announcementId")), WAIT);
      assertThat(frankOverHttp.all().stream().filter(e -> "announcement".equals(e.type()))
          .map(e -> e.data().getString("text"))).containsExactly("maintenance at noon", "done");
    }
    JsonArray missed = two.expect(200, HttpMethod.GET,
        "/api/announcements?after=" + first.getString("announcementId"), bob.token(), null).getJsonArray("announcements");
    assertThat(missed).hasSize(1);
    assertThat(missed.getJsonObject(0).getString("announcementId")).isEqualTo(second.getString("announcementId"));
    assertThat(audited("announcement.create", null)).isEqualTo(2);
  }

  @Test
  void aDisconnectClosesTheUsersTabsOnBothGatewaysWithAReason() {
    Account carol = one.register("carol");
    Account dave = one.register("dave");
    try (BridgeClient tabOne = personal(portOne, carol); BridgeClient tabTwo = personal(portTwo, carol);
        BridgeClient bystander = personal(portTwo, dave);
        SseClient carolOverHttp = SseClient.get(client, portOne, "/api/events", carol.token(), null)) {
      two.expect(202, HttpMethod.POST, "/api/admin/users/" + carol.userId() + "/disconnect", admin.token(), null);
      assertThat(carolOverHttp.await("disconnected", WAIT).data().getString("reason"))
          .isEqualTo("disconnected by an operator");
      Wait.until("the event stream has ended", WAIT, carolOverHttp::ended);
      for (BridgeClient tab : List.of(tabOne, tabTwo)) {
        JsonObject told = tab.awaitEvent("disconnected");
        assertThat(told.getString("reason")).isEqualTo("disconnected by an operator");
        Wait.until("the tab is closed", WAIT, tab::isClosed);
        assertThat(tab.closeStatus()).isEqualTo((short) 1008);
      }
      assertThat(bystander.isClosed()).isFalse();
      // Only disconnected: the token goes on working and a new socket opens.
      one.expect(200, HttpMethod.GET, "/api/conversations", carol.token(), null);
      personal(portTwo, carol).close();
    }
    assertThat(audited("user.disconnect", carol.userId())).isEqualTo(1);
  }

  @Test
  void aSuspensionClosesSocketsRefusesTokensAndLoginsOnBothGatewaysAndLosesNothing() {
    Account erin = one.register("erin");
    String conversation = one.createConversation(erin, "erin's notes");
    JsonObject credentials = new JsonObject().put("username", erin.username()).put("password", "correct horse battery");
    try (BridgeClient onOne = personal(portOne, erin); BridgeClient onTwo = personal(portTwo, erin)) {
      JsonObject suspended = one.expect(200, HttpMethod.POST, "/api/admin/users/" + erin.userId() + "/suspend",
          admin.token(), null);
      assertThat(suspended.getBoolean("suspended")).isTrue();
      assertThat(suspended.getString("username")).isEqualTo(erin.username());
      for (BridgeClient socket : List.of(onOne, onTwo)) {
        assertThat(socket.awaitEvent("disconnected").getString("reason")).isEqualTo("account suspended");
        Wait.until("the suspended user's socket is closed", WAIT, socket::isClosed);
      }
    }
    for (ApiClient gateway : List.of(one, two)) {
      assertThat(gateway.call(HttpMethod.GET, "/api/conversations", erin.token(), null).statusCode()).isEqualTo(403);
      assertThat(gateway.call(HttpMethod.POST, "/api/auth/refresh", erin.token(), null).statusCode()).isEqualTo(403);
      JsonObject refused = gateway.expect(403, HttpMethod.POST, "/api/auth/login", null, credentials);
      assertThat(refused.getString("error")).isEqualTo("account suspended");
    }
    assertThat(Wait.on(BridgeClient.connectAsync(client, portTwo, erin.token())
        .map(socket -> "opened").otherwise(err -> "refused"), 15)).isEqualTo("refused");

    two.expect(200, HttpMethod.POST, "/api/admin/users/" + erin.userId() + "/unsuspend", admin.token(), null);
    String again = two.expect(200, HttpMethod.POST, "/api/auth/login", null, credentials).getString("token");
    assertThat(one.expect(200, HttpMethod.GET, "/api/conversations", again, null).getJsonArray("conversations")
        .stream().map(c -> ((JsonObject) c).getString("conversationId")))
        .as("nothing they stored is lost").contains(conversation);
    assertThat(one.call(HttpMethod.GET, "/api/conversations", erin.token(), null).statusCode())
        .as("the token from before the suspension stays revoked").isEqualTo(401);
    assertThat(audited("user.suspend", erin.userId())).isEqualTo(1);
    assertThat(audited("user.unsuspend", erin.userId())).isEqualTo(1);
  }

  @Test
  void aNonAdminGets403OnEveryAdminCallAGrantMakesAnAdminAtTheNextLoginAndARevokeEndsItAtOnce() {
    Account frank = one.register("frank");
    Account target = one.register("target");
    for (ApiClient gateway : List.of(one, two)) {
      for (String[] call : adminCalls(target)) {
        assertThat(gateway.call(HttpMethod.valueOf(call[0]), call[1], frank.token(),
            call[0].equals("GET") ? null : new JsonObject().put("text", "hi")).statusCode())
            .as(call[0] + " " + call[1]).isEqualTo(403);
      }
    }
    assertThat(cluster.database.count("SELECT count(*) FROM admin_audit WHERE actor_id = '" + frank.userId() + "'"))
        .as("refused calls do nothing").isZero();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(AdminTool.run(new Env(Map.of("PG_URI", cluster.database.uri())),
        new String[] {"grant", frank.username()}, new PrintStream(out), new PrintStream(out))).isEqualTo(0);
    JsonObject login = two.expect(200, HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", frank.username()).put("password", "correct horse battery"));
    assertThat(login.getBoolean("admin")).isTrue();
    two.expect(202, HttpMethod.POST, "/api/admin/users/" + target.userId() + "/disconnect", login.getString("token"), null);
    assertThat(audited("admin.grant", frank.userId())).isEqualTo(1);

    // A revoke takes effect on the next admin call, on both gateways: the token's claim is not enough.
    assertThat(AdminTool.run(new Env(Map.of("PG_URI", cluster.database.uri())),
        new String[] {"revoke", frank.username()}, new PrintStream(out), new PrintStream(out))).isEqualTo(0);
    for (ApiClient gateway : List.of(one, two)) {
      assertThat(gateway.call(HttpMethod.POST, "/api/admin/users/" + target.userId() + "/disconnect",
          login.getString("token"), null).statusCode()).as("a revoked admin's token").isEqualTo(403);
    }
  }

  @Test
  void theClusterViewShowsEveryGatewayWorkerStorageNodeAndTheDatabase() {
    Wait.until("both gateway processes are on the board", WAIT, () -> {
      JsonObject view = one.expect(200, HttpMethod.GET, "/api/admin/cluster", admin.token(), null);
      List<String> names = view.getJsonArray("gateways").stream().map(g -> ((JsonObject) g).getString("node")).toList();
      return names.contains("admin-gateway-1") && names.contains("admin-gateway-2");
    });
    JsonObject view = two.expect(200, HttpMethod.GET, "/api/admin/cluster", admin.token(), null);
    assertThat(view.getJsonArray("gateways")).hasSizeGreaterThanOrEqualTo(4);
    JsonObject gateway = view.getJsonArray("gateways").getJsonObject(0);
    assertThat(gateway.fieldNames()).contains("connections", "rooms", "draining");
    assertThat(view.getJsonArray("llmWorkers")).isNotEmpty();
    assertThat(view.getJsonArray("llmWorkers").getJsonObject(0).fieldNames())
        .contains("assistants", "answersRunning", "answersWaiting");
    assertThat(view.getJsonArray("storageNodes")).isNotEmpty();
    JsonObject database = view.getJsonObject("database");
    assertThat(database.getString("status")).isEqualTo("UP");
    assertThat(database.getString("schemaVersion"))
        .isEqualTo(TestDatabase.newestSchemaVersion(Path.of("../storage-verticle/src/main/resources/db/migration")));
    assertThat(audited("cluster.view", null)).isGreaterThanOrEqualTo(2);
  }

  private static List<String[]> adminCalls(Account target) {
    return List.of(
        new String[] {"POST", "/api/admin/announcements"},
        new String[] {"POST", "/api/admin/users/" + target.userId() + "/disconnect"},
        new String[] {"POST", "/api/admin/users/" + target.userId() + "/suspend"},
        new String[] {"POST", "/api/admin/users/" + target.userId() + "/unsuspend"},
        new String[] {"GET", "/api/admin/cluster"});
  }

  /** A socket that listens on its user's personal address, as the page does. */
  private BridgeClient personal(int port, Account user) {
    BridgeClient socket = BridgeClient.connect(client, port, user.token());
    socket.register("client.user." + user.userId());
    // A round trip after it: the gateway has taken the registration in by the time the answer is back.
    assertThat(socket.failureCode("client.chat.history",
        new JsonObject().put("conversationId", UUID.randomUUID().toString()))).isEqualTo(404);
    return socket;
  }

  private static Predicate<JsonObject> announcement(JsonObject made) {
    return e -> "announcement".equals(e.getString("type"))
        && made.getString("announcementId").equals(e.getString("announcementId"));
  }

  /** The admin's audit rows of {@code action} (on {@code target}, when given). */
  private long audited(String action, String target) {
    String actor = action.equals("admin.grant") ? "actor_id IS NULL" : "actor_id = '" + admin.userId() + "'";
    return cluster.database.count("SELECT count(*) FROM admin_audit WHERE " + actor + " AND action = '" + action + "'"
        + (target == null ? "" : " AND target = '" + target + "'"));
  }
}
