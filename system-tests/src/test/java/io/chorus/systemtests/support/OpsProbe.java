package io.chorus.systemtests.support;

import io.chorus.fixtures.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** What an operator's scraper and probes see on a process's /metrics and /health endpoints. */
public final class OpsProbe {
  private final WebClient web;

  public OpsProbe(Vertx vertx) {
    this.web = WebClient.create(vertx);
  }

  public record Reply(int status, String body) {}

  public Reply get(int port, String path) {
    HttpResponse<Buffer> response = Wait.on(web.get(port, "127.0.0.1", path).send(), 15);
    return new Reply(response.statusCode(), response.bodyAsString());
  }

  /** The readiness status code: 200 ready, 503 not. */
  public int readiness(int port) {
    return get(port, "/health/ready").status();
  }

  /**
   * The Prometheus text of /metrics, which must answer 200; scraped as an operator's Prometheus would, with the
   * gateways' {@code METRICS_TOKEN} (services' ops ports ignore it).
   */
  public String metrics(int port) {
    HttpResponse<Buffer> response = Wait.on(web.get(port, "127.0.0.1", "/metrics")
        .bearerTokenAuthentication(ClusterHarness.METRICS_TOKEN).send(), 15);
    Reply reply = new Reply(response.statusCode(), response.bodyAsString());
    if (reply.status() != 200) {
      throw new AssertionError("/metrics on " + port + " answered " + reply.status());
    }
    return reply.body();
  }

  /** The value of the first sample of {@code name} (a line {@code name{...} value} or {@code name value}). */
  public static double sample(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no sample of " + name + " in /metrics");
  }

  public void close() {
    web.close();
  }
}
