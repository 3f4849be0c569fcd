package io.chorus.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code /metrics} shares the clients' port on a gateway, so it is not public: it answers only a scraper that
 * sends {@code Authorization: Bearer <METRICS_TOKEN>}. Without {@code METRICS_TOKEN} it is not served there at
 * all (404 saying how to turn it on). The metrics name no conversation or user, but their counts and rates
 * still tell an outsider how busy the service is.
 */
public final class MetricsGuard implements Handler<RoutingContext> {
  private final byte[] expected;

  public MetricsGuard(String metricsToken) {
    this.expected = metricsToken == null ? null : ("Bearer " + metricsToken).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expected == null) {
      HttpReplies.status(ctx, 404, "metrics are not served on this port: set METRICS_TOKEN and scrape with "
          + "Authorization: Bearer <METRICS_TOKEN>");
      return;
    }
    String given = ctx.request().getHeader("Authorization");
    // Compared in constant time: how long a refusal takes says nothing about the token.
    if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      HttpReplies.status(ctx, 401, "metrics need Authorization: Bearer <METRICS_TOKEN>");
      return;
    }
    ctx.next();
  }
}
