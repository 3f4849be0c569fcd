package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.gateway.ClusterClient;
import io.chorus.gateway.GatewayConfig;
import io.chorus.gateway.http.SessionRevocations;
import io.chorus.gateway.http.TokenService;
import io.chorus.model.Env;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.APIKeyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A ticket on the bridge's requests, as the upgrade's route sees them (auth handler, then SocketTickets). */
class SocketTicketsTest {
  private final Vertx vertx = Vertx.vertx();
  /** A connection per request, as each socket's upgrade has its own: no request waits on another's connection. */
  private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  private final AtomicLong nowSeconds = new AtomicLong(System.currentTimeMillis() / 1000);
  private final TokenService tokens = new TokenService(vertx, GatewayConfig.from(new Env(Map.of(
      "JWT_SECRET", "0123456789abcdef0123456789abcdef"))), new SessionRevocations(new ClusterClient(vertx)), Clock.systemUTC());
  private int port;

  @BeforeEach
  void serve() throws Exception {
    Router router = Router.router(vertx);
    router.route("/eventbus/*").handler(APIKeyHandler.create(tokens.socketAuth()).parameter("token"));
    router.route("/eventbus/*").handler(new SocketTickets(nowSeconds::get));
    // What the bridge will check on every frame: the socket's user is not expired.
    router.route("/eventbus/*").handler(ctx -> ctx.response().end(String.valueOf(ctx.user().expired())));
    port = vertx.createHttpServer().requestHandler(router).listen(0).await(5, TimeUnit.SECONDS).actualPort();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void aTicketOpensOneSockJsSessionWhichOutlivesTheTicketsMinute() throws Exception {
    String ticket = tokens.ticket(login()).token();
    assertThat(get("/eventbus/info", ticket)).isEqualTo(200);
    assertThat(get("/eventbus/123/session1/xhr_streaming", ticket)).isEqualTo(200);
    assertThat(get("/eventbus/123/session1/xhr_send", ticket)).isEqualTo(200);
    assertThat(get("/eventbus/123/session2/xhr_streaming", ticket)).as("another session").isEqualTo(401);
    assertThat(get("/eventbus/websocket", ticket)).as("a raw socket besides").isEqualTo(401);

    nowSeconds.addAndGet(TokenService.TICKET_SECONDS + 5);
    assertThat(get("/eventbus/123/session1/xhr_send", ticket)).as("its session goes on").isEqualTo(200);
    assertThat(body("/eventbus/123/session1/xhr_send", ticket)).as("the socket's user is not expired")
        .isEqualTo("false");
    assertThat(get("/eventbus/info", ticket)).as("nothing new with an old ticket").isEqualTo(401);
  }

  @Test
  void aRawWebSocketTakesItsTicketAndAPlainTokenStillWorks() throws Exception {
    User alice = login();
    String ticket = tokens.ticket(alice).token();
    assertThat(get("/eventbus/websocket", ticket)).isEqualTo(200);
    assertThat(get("/eventbus/websocket", ticket)).isEqualTo(401);
    String token = tokens.issue("u1", "alice").token();
    assertThat(get("/eventbus/websocket", token)).isEqualTo(200);
    assertThat(get("/eventbus/websocket", token)).as("a token is no ticket: it opens many").isEqualTo(200);
  }

  @Test
  void aTicketIsNoTokenForTheApi() throws Exception {
    String ticket = tokens.ticket(login()).token();
    assertThat(tokens.auth().authenticate(new TokenCredentials(ticket))
        .map("accepted").otherwise(err -> err.getMessage()).await(5, TimeUnit.SECONDS))
        .contains("a ticket only opens a socket");
  }

  private User login() throws Exception {
    return tokens.auth().authenticate(new TokenCredentials(tokens.issue("u1", "alice").token()))
        .await(15, TimeUnit.SECONDS);
  }

  private int get(String path, String token) throws Exception {
    return request(path, token).status();
  }

  private String body(String path, String token) throws Exception {
    return request(path, token).body();
  }

  private record Reply(int status, String body) {}

  /** Status and body read in one go: the body is taken as the response arrives, never after it ended. */
  private Reply request(String path, String token) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    return http.request(options).compose(r -> r.send())
        .compose(response -> response.body().map(body -> new Reply(response.statusCode(), body.toString())))
        .await(15, TimeUnit.SECONDS);
  }
}
