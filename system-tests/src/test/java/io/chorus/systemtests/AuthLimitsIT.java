package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Accounts are free to create and passwords can be guessed: the auth endpoints are bounded, over HTTP, and the bounds
 * hold across the cluster's two gateways (issue 13): an address's attempts and registrations, a user's tickets, and a
 * ticket's one socket are counted once for both. So that no test uses up another's allowance, each test signs up
 * through the trusted proxy from a client address of its own, except the one that counts the tests' own address.
 */
class AuthLimitsIT extends ClusterTestBase {
  /** Above what the tests' own address (127.0.0.1, without a forwarded one) uses in all tests together. */
  private static final int ATTEMPTS_PER_MINUTE = 12;

  @Override
  protected ClusterHarness startCluster() {
    // A back-off of a minute: the 429 below is asserted well within it, however slow the machine.
    // The tests' own address is a trusted proxy here: requests without X-Forwarded-For still count as its own.
    return ClusterHarness.start(Map.of("REGISTRATIONS_PER_HOUR", "3", "LOGIN_FAILURES_BEFORE_BACKOFF", "3",
        "LOGIN_BACKOFF_SECONDS", "60", "TICKETS_PER_MINUTE", "3", "TRUSTED_PROXIES", "127.0.0.1, ::1",
        "AUTH_ATTEMPTS_PER_MINUTE", String.valueOf(ATTEMPTS_PER_MINUTE)), true);
  }

  @Test
  void behindATrustedProxyEachClientHasItsOwnAllowance() {
    WebClient web = WebClient.create(client, new WebClientOptions().setDefaultPort(cluster.gatewayPort()));
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(registerVia(web, "198.51.100.1").statusCode()).isEqualTo(201);
      }
      assertThat(registerVia(web, "198.51.100.1").statusCode()).as("that client's allowance is used up")
          .isEqualTo(429);
      // What a client writes itself sits left of what the proxy appended: only the proxy's entry counts.
      assertThat(registerVia(web, "198.51.100.1, 198.51.100.2").statusCode())
          .as("another client behind the same proxy").isEqualTo(201);
    } finally {
      web.close();
    }
  }

  @Test
  void aUserTakesOnlySoManySocketTicketsAMinute() {
    try (ApiClient second = new ApiClient(client, cluster.secondGatewayPort())) {
      ApiClient.Account alice = accountFrom("198.51.100.20", "alice");
      for (int i = 0; i < 3; i++) {
        second.expect(200, HttpMethod.POST, "/api/auth/ticket", alice.token(), null);
      }
      JsonObject refused = second.expect(429, HttpMethod.POST, "/api/auth/ticket", alice.token(), null);
      assertThat(refused.getString("error")).contains("at most 3 a minute");
    }
  }

  private static HttpResponse<Buffer> registerVia(WebClient web, String forwardedFor) {
    return Wait.on(web.post("/api/auth/register").putHeader("X-Forwarded-For", forwardedFor)
        .sendJson(credentials("behind" + UUID.randomUUID().toString().substring(0, 8), "correct horse battery")), 15);
  }

  @Test
  void oneAddressCreatesAFewAccountsAnHourThenGets429() {
    int created = 0;
    HttpResponse<Buffer> reply;
    do {
      reply = register("spammer" + UUID.randomUUID().toString().substring(0, 8));
      if (reply.statusCode() == 201) {
        created++;
      }
    } while (reply.statusCode() == 201 && created < 10);
    assertThat(reply.statusCode()).isEqualTo(429);
    assertThat(reply.bodyAsJsonObject().getString("error")).contains("at most 3 an hour");
    // Other test methods of this class may have used some of the address's allowance already, on either gateway.
    assertThat(created).isLessThanOrEqualTo(3);
  }

  @Test
  void guessingAPasswordFromOneAddressBacksOff() {
    String name = "victim" + UUID.randomUUID().toString().substring(0, 8);
    registerFrom(cluster.secondGatewayPort(), "198.51.100.21", name);
    try (ApiClient second = new ApiClient(client, cluster.secondGatewayPort())) {
      for (int i = 0; i < 3; i++) {
        assertThat(second.call(HttpMethod.POST, "/api/auth/login", null, credentials(name, "wrong guess " + i))
            .statusCode()).isEqualTo(401);
      }
      HttpResponse<Buffer> refused = second.call(HttpMethod.POST, "/api/auth/login", null,
          credentials(name, "correct horse battery"));
      assertThat(refused.statusCode()).as("even the right password waits out the back-off").isEqualTo(429);
      assertThat(refused.bodyAsJsonObject().getString("error")).contains("too many failed logins")
          .contains("try again in");
    }
  }

  @Test
  void signInAttemptsFromOneAddressCountOnBothGatewaysTogether() {
    String address = "198.51.100.30";
    for (int i = 0; i < ATTEMPTS_PER_MINUTE; i++) {
      int port = i % 2 == 0 ? cluster.gatewayPort() : cluster.secondGatewayPort();
      assertThat(loginFrom(port, address, "nobody" + i).statusCode()).as("attempt %d", i).isEqualTo(401);
    }
    for (int port : new int[] {cluster.gatewayPort(), cluster.secondGatewayPort()}) {
      HttpResponse<Buffer> refused = loginFrom(port, address, "nobody");
      assertThat(refused.statusCode()).as("the address's attempts are used up on both gateways").isEqualTo(429);
      assertThat(refused.bodyAsJsonObject().getString("error")).contains("too many sign-in attempts")
          .contains("at most " + ATTEMPTS_PER_MINUTE + " a minute");
    }
    assertThat(loginFrom(cluster.secondGatewayPort(), "198.51.100.31", "nobody").statusCode())
        .as("another address").isEqualTo(401);
  }

  @Test
  void aTicketOpensOneSocketInTheWholeCluster() {
    ApiClient.Account grace = accountFrom("198.51.100.32", "grace");
    String ticket = api.expect(200, HttpMethod.POST, "/api/auth/ticket", grace.token(), null).getString("ticket");
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), ticket)) {
      assertThat(socket.failureCode("client.chat.history", new JsonObject().put("conversationId",
          UUID.randomUUID().toString()))).as("the socket works (404: no such conversation)").isEqualTo(404);
      Object onTheOther = Wait.on(BridgeClient.connectAsync(client, cluster.secondGatewayPort(), ticket)
          .map(again -> (Object) "opened")
          .otherwise(err -> err instanceof UpgradeRejectedException rejected ? rejected.getStatus() : err), 15);
      assertThat(onTheOther).as("the same ticket on the other gateway").isEqualTo(401);
    }
  }

  /** An account registered through the trusted proxy for a client address of the test's own. */
  private ApiClient.Account accountFrom(String forwardedFor, String prefix) {
    String name = prefix + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<Buffer> reply = registerFrom(cluster.gatewayPort(), forwardedFor, name);
    JsonObject body = reply.bodyAsJsonObject();
    return new ApiClient.Account(body.getString("userId"), body.getString("username"), body.getString("token"));
  }

  private HttpResponse<Buffer> registerFrom(int port, String forwardedFor, String name) {
    HttpResponse<Buffer> reply = viaProxy(port, forwardedFor, "/api/auth/register",
        credentials(name, "correct horse battery"));
    assertThat(reply.statusCode()).as("registered: %s", reply.bodyAsString()).isEqualTo(201);
    return reply;
  }

  private HttpResponse<Buffer> loginFrom(int port, String forwardedFor, String name) {
    return viaProxy(port, forwardedFor, "/api/auth/login", credentials(name, "not the password"));
  }

  private HttpResponse<Buffer> viaProxy(int port, String forwardedFor, String path, JsonObject body) {
    WebClient web = WebClient.create(client, new WebClientOptions().setDefaultPort(port));
    try {
      return Wait.on(web.post(path).putHeader("X-Forwarded-For", forwardedFor).sendJson(body), 15);
    } finally {
      web.close();
    }
  }

  private HttpResponse<Buffer> register(String name) {
    return api.call(HttpMethod.POST, "/api/auth/register", null, credentials(name, "correct horse battery"));
  }

  private static JsonObject credentials(String name, String password) {
    return new JsonObject().put("username", name).put("password", password);
  }
}
