package io.chorus.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsGuardTest {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));

  @AfterEach
  void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void withoutATokenConfiguredTheMetricsAreNotServedOnTheClientsPort() throws Exception {
    int port = serve(null);
    assertThat(status(port, null)).isEqualTo(404);
    assertThat(status(port, "Bearer anything")).isEqualTo(404);
  }

  @Test
  void withATokenOnlyItsBearerGetsThem() throws Exception {
    int port = serve("s3cret-scraper");
    assertThat(status(port, null)).isEqualTo(401);
    assertThat(status(port, "Bearer wrong")).isEqualTo(401);
    assertThat(status(port, "Bearer s3cret-scraper")).isEqualTo(200);
  }

  private int serve(String token) throws Exception {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(new MetricsGuard(token)).handler(ctx -> ctx.response().end("metrics"));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await(5, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private int status(int port, String authorization) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/metrics");
    if (authorization != null) {
      options.putHeader("Authorization", authorization);
    }
    return http.request(options).compose(request -> request.send()).await(5, TimeUnit.SECONDS).statusCode();
  }
}
