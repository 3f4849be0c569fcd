package io.chorus.gateway.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers of the web page's files. The page may not be framed by any site (clickjacking): the legacy
 * {@code X-Frame-Options} and CSP {@code frame-ancestors}, which a {@code <meta>} policy cannot carry (the
 * page's own policy stays in index.html). And no file is cached without asking: none has a content hash in
 * its name, so {@code no-cache} makes browsers revalidate (a 304 when unchanged) and pick up an upgrade at
 * once, where the static handler's default would keep a day-old copy {@code immutable}.
 */
public final class PageHeaders {
  public static final String CACHE_CONTROL = "no-cache";
  static final String FRAME_ANCESTORS = "frame-ancestors 'none'";

  private PageHeaders() {}

  public static void apply(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> set(ctx.response().headers()));
    ctx.next();
  }

  static void set(MultiMap headers) {
    headers.set("Cache-Control", CACHE_CONTROL);
    headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    String policy = headers.get("Content-Security-Policy");
    headers.set("Content-Security-Policy", policy == null ? FRAME_ANCESTORS : policy + "; " + FRAME_ANCESTORS);
  }
}
