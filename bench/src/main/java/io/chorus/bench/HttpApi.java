package io.chorus.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;

/** The gateway's HTTP API as the load tool needs it: accounts and conversations (docs/protocol.md). */
public final class HttpApi {
  private final HttpClient http;
  private final String host;
  private final int port;

  public record Account(String userId, String username, String token) {}

  public HttpApi(Vertx vertx, URI base) {
    this.host = base.getHost();
    this.port = base.getPort() > 0 ? base.getPort() : 80;
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(16));
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public Future<Account> register(String username) {
    JsonObject body = new JsonObject().put("username", username).put("password", "bench-password-1");
    return call(HttpMethod.POST, "/api/auth/register", null, body, 201)
        .map(json -> new Account(json.getString("userId"), json.getString("username"), json.getString("token")));
  }

  /** A conversation owned by {@code owner} with the others as members; its id. */
  public Future<String> createConversation(Account owner, String title, List<Account> members) {
    JsonArray names = new JsonArray();
    members.forEach(m -> names.add(m.username()));
    return call(HttpMethod.POST, "/api/conversations", owner.token(),
        new JsonObject().put("title", title).put("members", names), 201)
        .map(json -> json.getString("conversationId"));
  }

  public Future<Boolean> ready() {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/health/ready"))
        .compose(req -> req.send())
        .map(resp -> resp.statusCode() == 200)
        .otherwise(false);
  }

  private Future<JsonObject> call(HttpMethod method, String path, String token, JsonObject body, int expected) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path)
        .putHeader("content-type", "application/json");
    if (token != null) {
      options.putHeader("authorization", "Bearer " + token);
    }
    return http.request(options)
        .compose(req -> req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + resp.statusCode() + ": " + b);
          }
          return b.length() == 0 ? new JsonObject() : b.toJsonObject();
        }));
  }

  public Future<Void> close() {
    return http.close();
  }
}
