package io.chorus.systemtests.support;

import io.chorus.fixtures.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The gateway's HTTP API as a client sees it; every call blocks the test thread until the answer. */
public final class ApiClient implements AutoCloseable {
  private final WebClient web;

  /** A registered user with a token. */
  public record Account(String userId, String username, String token) {}

  public ApiClient(Vertx vertx, int port) {
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  public HttpResponse<Buffer> call(HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> request = web.request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    var sent = body == null ? request.send()
        : body instanceof String raw ? request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(raw))
        : request.sendJson(body);
    return Wait.on(sent, 15);
  }

  public JsonObject expect(int status, HttpMethod method, String path, String token, Object body) {
    HttpResponse<Buffer> response = call(method, path, token, body);
    if (response.statusCode() != status) {
      throw new AssertionError(method + " " + path + ": expected " + status + ", got " + response.statusCode() + " "
          + response.bodyAsString());
    }
    return response.body() == null || response.body().length() == 0 ? new JsonObject() : response.bodyAsJsonObject();
  }

  /** Registers a user with a unique name derived from {@code prefix}. */
  public Account register(String prefix) {
    return registerExactly(prefix + "_" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** Registers {@code username} as it is (the password the browser scenarios use too). */
  public Account registerExactly(String username) {
    JsonObject reply = expect(201, HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("username", username).put("password", "correct horse battery"));
    return new Account(reply.getString("userId"), reply.getString("username"), reply.getString("token"));
  }

  public String createConversation(Account owner, String title, Account... members) {
    JsonArray names = new JsonArray();
    for (Account m : members) {
      names.add(m.username());
    }
    return expect(201, HttpMethod.POST, "/api/conversations", owner.token(),
        new JsonObject().put("title", title).put("members", names)).getString("conversationId");
  }

  @Override
  public void close() {
    web.close();
  }
}
