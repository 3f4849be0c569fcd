package io.chorus.gateway.bridge;

import io.chorus.gateway.http.HttpReplies;
import io.chorus.gateway.http.TokenService;
import io.vertx.core.Handler;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Tickets ({@code POST /api/auth/ticket}) on the bridge's requests, after the upgrade's authentication: a ticket
 * opens one socket. SockJS makes several requests for one socket ({@code /info}, then the transport's, all
 * carrying the query), so "once" means one SockJS session: the first session a ticket opens owns it, requests of
 * other sessions (or a second raw WebSocket) with it get 401. The socket then lives as long as the token the
 * ticket was issued for, not the ticket's minute. Counted on this gateway: a ticket could open one socket on each.
 * Edge event loop only.
 */
public final class SocketTickets implements Handler<RoutingContext> {
  /** Past this many tickets held, those whose token has run out are forgotten (then past twice as many). */
  private static final int SWEEP_ABOVE = 10_000;

  private final LongSupplier epochSeconds;
  /** Ticket id -> the SockJS session (or raw socket) it opened, kept while the token it stands for is valid. */
  private final Map<String, Use> used = new HashMap<>();
  private int sweepAbove = SWEEP_ABOVE;

  private record Use(String socketKey, long untilEpochSeconds) {}

  public SocketTickets(LongSupplier epochSeconds) {
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
    boolean allowed = tokenExpiry > nowSeconds
        && (fresh ? socketKey == null || claim(ticketId, socketKey, tokenExpiry)
            : socketKey != null && opened(ticketId, socketKey));
    if (!allowed) {
      HttpReplies.status(ctx, 401, fresh ? "this ticket has opened a socket already: ask for a new one"
          : "the ticket has expired: ask for a new one");
      return;
    }
    // The socket lives on the token the ticket stands for, not on the ticket's minute.
    user.attributes().put("exp", tokenExpiry);
    ctx.next();
  }

  private boolean claim(String ticketId, String socketKey, long untilEpochSeconds) {
    if (used.size() > sweepAbove) {
      long now = epochSeconds.getAsLong();
      used.values().removeIf(use -> use.untilEpochSeconds() <= now);
      sweepAbove = Math.max(SWEEP_ABOVE, used.size() * 2);
    }
    Use previous = used.putIfAbsent(ticketId, new Use(socketKey, untilEpochSeconds));
    return previous == null || previous.socketKey().equals(socketKey);
  }

  private boolean opened(String ticketId, String socketKey) {
    Use use = used.get(ticketId);
    return use != null && use.socketKey().equals(socketKey);
  }

  /**
   * Which socket a bridge request belongs to: {@code /eventbus/<server>/<session>/<transport>} is a SockJS
   * session; {@code /eventbus/websocket} a raw socket of its own; {@code /eventbus/info} none (it opens nothing).
   */
  static String socketKey(String path) {
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
