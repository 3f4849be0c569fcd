package io.chorus.gateway.bridge;

import io.chorus.gateway.http.HttpReplies;
import io.chorus.gateway.http.TokenService;
import io.chorus.model.limits.SharedClaims;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Tickets ({@code POST /api/auth/ticket}) on the bridge's requests, after the upgrade's authentication: a ticket
 * opens one socket in the whole cluster. SockJS makes several requests for one socket ({@code /info}, then the
 * transport's, all carrying the query), so "once" means one SockJS session: the first session a ticket opens owns it,
 * requests of other sessions (or a second raw WebSocket) with it get 401, on this gateway or any other. The claim
 * lives in the cluster's {@link #CLAIMS_MAP} (a {@link SharedClaims}) until the token the ticket stands for expires,
 * so memory follows the tickets whose tokens still run. The socket then lives as long as that token, not the
 * ticket's minute. Edge event loop only.
 */
public final class SocketTickets implements Handler<RoutingContext> {
  /** Ticket id -> the SockJS session (or raw socket) it opened, while the token it stands for is valid. */
  public static final String CLAIMS_MAP = "chorus.socket-tickets";

  private final SharedClaims used;
  private final LongSupplier epochSeconds;

  /** With claims on this gateway only (unit tests). */
  public SocketTickets(LongSupplier epochSeconds) {
    this(SharedClaims.local(() -> epochSeconds.getAsLong() * 1000), epochSeconds);
  }

  public SocketTickets(SharedClaims used, LongSupplier epochSeconds) {
    this.used = used;
    this.epochSeconds = epochSeconds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    User user = ctx.user();
    String ticketId = user == null ? null : user.principal().getString(TokenService.TICKET_ID);
    if (ticketId == null) {
      ctx.next();
      return;
    }
    String socketKey = socketKey(ctx.normalizedPath());
    long nowSeconds = epochSeconds.getAsLong();
    long tokenExpiry = user.principal().getLong(TokenService.TICKET_SESSION_EXPIRY, 0L);
    boolean fresh = ((Number) TokenService.expiry(user)).longValue() > nowSeconds;
    // A fresh ticket opens a socket once; past its minute it only carries on the socket it opened (SockJS's XHR
    // transports repeat it on every request), and never past the token it stands for.
    Future<Boolean> allowed;
    if (tokenExpiry <= nowSeconds) {
      allowed = Future.succeededFuture(false);
    } else if (fresh) {
      allowed = socketKey == null ? Future.succeededFuture(true)
          : used.claim(ticketId, socketKey, (tokenExpiry - nowSeconds) * 1000).map(socketKey::equals);
    } else {
      allowed = socketKey == null ? Future.succeededFuture(false) : used.holder(ticketId).map(socketKey::equals);
    }
    if (allowed.isComplete()) {
      decide(ctx, user, allowed, fresh, tokenExpiry);
      return;
    }
    // The upgrade waits for the cluster's answer; nothing of the request may be lost meanwhile.
    boolean paused = !ctx.request().isEnded();
    if (paused) {
      ctx.request().pause();
    }
    allowed.onComplete(ar -> {
      if (paused) {
        ctx.request().resume();
      }
      decide(ctx, user, allowed, fresh, tokenExpiry);
    });
  }

  private static void decide(RoutingContext ctx, User user, Future<Boolean> allowed, boolean fresh,
      long tokenExpiry) {
    if (allowed.failed()) {
      HttpReplies.status(ctx, 503, "the ticket cannot be checked now: try again");
      return;
    }
    if (!allowed.result()) {
      HttpReplies.status(ctx, 401, fresh ? "this ticket has opened a socket already: ask for a new one"
          : "the ticket has expired: ask for a new one");
      return;
    }
    // The socket lives on the token the ticket stands for, not on the ticket's minute.
    user.attributes().put("exp", tokenExpiry);
    ctx.next();
  }
  /**
   * Which socket a bridge request belongs to: {@code /eventbus/<server>/<session>/<transport>} is a SockJS
   * session; {@code /eventbus/websocket} a raw socket of its own, as is an event stream under {@code /api/};
   * {@code /eventbus/info} none (it opens nothing).
   */
  static String socketKey(String path) {
    if (path.startsWith("/api/")) {
      return "sse:" + UUID.randomUUID(); // an event stream (docs/protocol.md, HTTP-only clients): one per ticket
    }
    String rest = path.startsWith("/eventbus/") ? path.substring("/eventbus/".length()) : path;
    String[] parts = rest.split("/");
    if (parts.length == 1 && parts[0].equals("websocket")) {
      return "raw:" + UUID.randomUUID();
    }
    if (parts.length >= 3) {
      return "sockjs:" + parts[0] + "/" + parts[1];
    }
    return null;
  }
}
