package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Accounts are free to create and passwords can be guessed: the auth endpoints are bounded, over HTTP. */
class AuthLimitsIT extends ClusterTestBase {
  @Override
  protected ClusterHarness startCluster() {
    // A back-off of a minute: the 429 below is asserted well within it, however slow the machine.
    // The tests' own address is a trusted proxy here: requests without X-Forwarded-For still count as its own.
    return ClusterHarness.start(Map.of("REGISTRATIONS_PER_HOUR", "3", "LOGIN_FAILURES_BEFORE_BACKOFF", "3",
        "LOGIN_BACKOFF_SECONDS", "60", "TICKETS_PER_MINUTE", "3", "TRUSTED_PROXIES", "127.0.0.1, ::1"), true);
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
    // On the other gateway: the first's registrations may be used up by the tests above.
    try (ApiClient second = new ApiClient(client, cluster.secondGatewayPort())) {
      ApiClient.Account alice = second.register("alice");
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
    // Earlier test methods of this class may have used some of this gateway's allowance already.
    assertThat(created).isLessThanOrEqualTo(3);
  }

  @Test
  void guessingAPasswordFromOneAddressBacksOff() {
    String name = "victim" + UUID.randomUUID().toString().substring(0, 8);
    // On the other gateway: the registrations of the test above count on the first (the bounds are per gateway).
    try (ApiClient second = new ApiClient(client, cluster.secondGatewayPort())) {
      second.expect(201, HttpMethod.POST, "/api/auth/register", null, credentials(name, "correct horse battery"));
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

  private HttpResponse<Buffer> register(String name) {
    return api.call(HttpMethod.POST, "/api/auth/register", null, credentials(name, "correct horse battery"));
  }

  private static JsonObject credentials(String name, String password) {
    return new JsonObject().put("username", name).put("password", password);
  }
}
