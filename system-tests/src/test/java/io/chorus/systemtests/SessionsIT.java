package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterTestBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A logout ends that login session on every gateway: its tokens, their refreshes and its open sockets. */
class SessionsIT extends ClusterTestBase {
  @Test
  void aLogoutOnOneGatewayEndsTheSessionOnTheOtherAndLeavesOtherSessionsAlone() {
    String name = "alice_" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject credentials = new JsonObject().put("username", name).put("password", "correct horse battery");
    String phone = api.expect(201, HttpMethod.POST, "/api/auth/register", null, credentials).getString("token");
    String laptop = api.expect(200, HttpMethod.POST, "/api/auth/login", null, credentials).getString("token");
    String phoneRefreshed = api.expect(200, HttpMethod.POST, "/api/auth/refresh", phone, null).getString("token");

    try (ApiClient second = new ApiClient(client, cluster.secondGatewayPort());
        BridgeClient phoneSocket = BridgeClient.connect(client, cluster.secondGatewayPort(), phoneRefreshed);
        BridgeClient laptopSocket = BridgeClient.connect(client, cluster.secondGatewayPort(), laptop)) {
      second.expect(200, HttpMethod.GET, "/api/conversations", phone, null);

      assertThat(api.call(HttpMethod.POST, "/api/auth/logout", phone, null).statusCode()).isEqualTo(204);

      Wait.until("the logged-out session's socket on the other gateway is closed", Duration.ofSeconds(15),
          phoneSocket::isClosed);
      for (String token : new String[] {phone, phoneRefreshed}) {
        assertThat(second.call(HttpMethod.GET, "/api/conversations", token, null).statusCode()).isEqualTo(401);
        assertThat(second.call(HttpMethod.POST, "/api/auth/refresh", token, null).statusCode()).isEqualTo(401);
      }
      assertThat(Wait.on(BridgeClient.connectAsync(client, cluster.secondGatewayPort(), phone)
          .map(socket -> "opened").otherwise(err -> "refused"), 15)).isEqualTo("refused");

      // The laptop's session is another one: it goes on.
      assertThat(laptopSocket.isClosed()).isFalse();
      second.expect(200, HttpMethod.GET, "/api/conversations", laptop, null);
      assertThat(laptopSocket.failureCode("client.chat.history",
          new JsonObject().put("conversationId", UUID.randomUUID().toString())))
          .as("the laptop's socket still answers (404: no such conversation)").isEqualTo(404);
    }
  }

  @Test
  void aTicketOpensOneSocketAndIsNoTokenForTheApi() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "by ticket");
    String ticket = api.expect(200, HttpMethod.POST, "/api/auth/ticket", alice.token(), null).getString("ticket");

    assertThat(api.call(HttpMethod.GET, "/api/conversations", ticket, null).statusCode()).isEqualTo(401);
    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), ticket)) {
      socket.enter(conversation);
      JsonObject sent = socket.call("client.chat.send", new JsonObject().put("conversationId", conversation)
          .put("text", "over a ticket").put("clientMsgId", "t-1"));
      assertThat(sent.getLong("seq")).isEqualTo(1);
      assertThat(Wait.on(BridgeClient.connectAsync(client, cluster.gatewayPort(), ticket)
          .map(again -> "opened").otherwise(err -> "refused"), 15)).as("a second socket with it").isEqualTo("refused");
    }
  }
}
