package io.chorus.gateway.http;

import io.chorus.gateway.GatewayConfig;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Issues and checks HS256 JWTs. The user id is {@code sub}; the display name travels as {@code name}
 * (not {@code username}: vertx-auth's {@code User.subject()} would then return it instead of sub). A login
 * starts a session ({@code sid}, started at {@code sst}, epoch seconds) that its refreshes keep: a refresh is
 * refused once the session is {@code SESSION_MAX_HOURS} old, and a logout ends the session, with every token
 * of it, on every gateway ({@link SessionRevocations}). A token without an expiry is never accepted.
 */
public final class TokenService {
  static final String SESSION_ID = "sid";
  static final String SESSION_START = "sst";
  /** The same start in epoch milliseconds: a suspension ends the sessions started before it, to the millisecond. */
  static final String SESSION_START_MS = "ssm";
  /** {@code "admin"} on an admin's tokens (ADMIN_USERS or a grant, as of the login); absent otherwise. */
  public static final String ROLE = "role";
  public static final String ADMIN = "admin";
  /** On a ticket: the ticket's id, and until when (epoch seconds) the token it was issued for is valid. */
  public static final String TICKET_ID = "tkt";
  public static final String TICKET_SESSION_EXPIRY = "texp";
  public static final int TICKET_SECONDS = 60;

  private final JWTAuth jwt;
  private final JWTAuth jwtAnyExpiry;
  private final JWTAuth api;
  private final JWTAuth sockets;
  private final int ttlMinutes;
  private final long sessionMaxSeconds;
  private final SessionRevocations revocations;
  private final Clock clock;

  public record IssuedToken(String token, Instant expiresAt) {
    JsonObject toJson() {
      return new JsonObject().put("token", token).put("expiresAt", expiresAt.toString());
    }
  }

  public TokenService(Vertx vertx, GatewayConfig config, SessionRevocations revocations, Clock clock) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.jwtSecret())));
    // The bridge's requests check expiry themselves: a ticket's socket keeps using it past its minute (SockJS
    // repeats the query on every request of an XHR transport), see SocketTickets.
    this.jwtAnyExpiry = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.jwtSecret()))
        .setJWTOptions(new JWTOptions().setIgnoreExpiration(true)));
    this.ttlMinutes = config.tokenTtlMinutes();
    this.sessionMaxSeconds = config.sessionMaxHours() * 3600L;
    this.revocations = revocations;
    this.clock = clock;
    this.api = new Checked(false);
    this.sockets = new Checked(true);
  }

  /**
   * What the API's auth handler uses: the signature and expiry as vertx-auth checks them, then this service's
   * rules; a ticket is refused here.
   */
  public JWTAuth auth() {
    return api;
  }

  /** What the bridge's upgrade uses: a token, or a ticket used once (on this gateway) within its minute. */
  public JWTAuth socketAuth() {
    return sockets;
  }

  /**
   * A ticket for opening one bridge socket: valid {@link #TICKET_SECONDS}, only for {@code /eventbus}, once. The
   * socket it opens lives as long as the token it was issued for, so a long-lived token never has to travel in
   * a URL.
   */
  public IssuedToken ticket(User user) {
    long now = clock.instant().getEpochSecond();
    JsonObject claims = new JsonObject().put("sub", userId(user)).put("name", username(user))
        .put(TICKET_ID, UUID.randomUUID().toString())
        .put(TICKET_SESSION_EXPIRY, ((Number) expiry(user)).longValue());
    Fields.putIfPresent(claims, SESSION_ID, user.principal().getString(SESSION_ID));
    Fields.putIfPresent(claims, SESSION_START, user.principal().getLong(SESSION_START));
    String ticket = jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(TICKET_SECONDS));
    return new IssuedToken(ticket, Instant.ofEpochSecond(now + TICKET_SECONDS));
  }

  /** A new session: after a login or a registration. */
  public IssuedToken issue(String userId, String username) {
    return issue(userId, username, false);
  }

  /** A new session, with the admin role when {@code admin}. */
  public IssuedToken issue(String userId, String username, boolean admin) {
    long nowMs = clock.millis();
    return issue(userId, username, UUID.randomUUID().toString(), nowMs / 1000, nowMs, admin);
  }

  /** The same session, a fresh token; 401 once the session has reached its lifetime. */
  public IssuedToken refresh(User user) {
    JsonObject claims = user.principal();
    Long started = claims.getLong(SESSION_START);
    String sessionId = claims.getString(SESSION_ID);
    if (started == null || sessionId == null) {
      // A token from before sessions: its refresh starts one.
      return issue(userId(user), username(user), isAdmin(user));
    }
    if (clock.instant().getEpochSecond() >= started + sessionMaxSeconds) {
      throw new ChorusException(ErrorCode.UNAUTHORIZED, "the session has ended: log in again");
    }
    return issue(userId(user), username(user), sessionId, started, sessionStartMillis(user), isAdmin(user));
  }

  /** Ends the caller's session on every gateway (a token from before sessions just runs out). */
  public Future<Void> logout(User user) {
    String sessionId = user.principal().getString(SESSION_ID);
    Long started = user.principal().getLong(SESSION_START);
    if (sessionId == null || started == null) {
      return Future.succeededFuture();
    }
    return revocations.revoke(sessionId, (started + sessionMaxSeconds) * 1000);
  }

  private IssuedToken issue(String userId, String username, String sessionId, long sessionStart,
      long sessionStartMs, boolean admin) {
    long now = clock.instant().getEpochSecond();
    long expiresAt = Math.min(now + ttlMinutes * 60L, sessionStart + sessionMaxSeconds);
    JsonObject claims = new JsonObject().put("sub", userId).put("name", username).put(SESSION_ID, sessionId)
        .put(SESSION_START, sessionStart).put(SESSION_START_MS, sessionStartMs);
    if (admin) {
      claims.put(ROLE, ADMIN);
    }
    String token = jwt.generateToken(claims,
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) Math.max(1, expiresAt - now)));
    return new IssuedToken(token, Instant.ofEpochSecond(expiresAt));
  }

  public static String userId(User user) {
    return user.principal().getString("sub");
  }

  public static String username(User user) {
    return user.principal().getString("name");
  }

  /** vertx-auth keeps a JWT's {@code exp} among the user's attributes (it checks it there), not its principal. */
  public static Object expiry(User user) {
    Object exp = user.attributes().getValue("exp");
    if (exp == null && user.attributes().getValue("accessToken") instanceof JsonObject token) {
      exp = token.getValue("exp");
    }
    return exp != null ? exp : user.principal().getValue("exp");
  }

  /** The token carries the admin role (a refresh keeps it; a new grant or revoke counts from the next login). */
  public static boolean isAdmin(User user) {
    return ADMIN.equals(user.principal().getString(ROLE));
  }

  /**
   * When the token's login session started, in epoch milliseconds (a token from before that claim: the start of
   * its second), or null for a token from before sessions.
   */
  public static Long sessionStartMillis(User user) {
    Long ms = user.principal().getLong(SESSION_START_MS);
    Long seconds = user.principal().getLong(SESSION_START);
    return ms != null ? ms : seconds == null ? null : seconds * 1000;
  }

  public static String sessionId(User user) {
    return user.principal().getString(SESSION_ID);
  }

  /**
   * vertx-auth's JWT check, then: an expiry is required, the session must not have been logged out, and a
   * ticket is taken only where sockets open, once.
   */
  private final class Checked implements JWTAuth {
    private final boolean ticketsAccepted;

    Checked(boolean ticketsAccepted) {
      this.ticketsAccepted = ticketsAccepted;
    }

    @Override
    public Future<User> authenticate(Credentials credentials) {
      return (ticketsAccepted ? jwtAnyExpiry : jwt).authenticate(credentials).compose(user -> {
        if (!(expiry(user) instanceof Number exp)) {
          return Future.failedFuture(new ChorusException(ErrorCode.UNAUTHORIZED, "the token has no expiry"));
        }
        boolean ticket = user.principal().getString(TICKET_ID) != null;
        if (ticketsAccepted && !ticket && exp.longValue() <= clock.instant().getEpochSecond()) {
          return Future.failedFuture(new ChorusException(ErrorCode.UNAUTHORIZED, "the token has expired"));
        }
        if (revocations.isRevoked(sessionId(user))) {
          return Future.failedFuture(new ChorusException(ErrorCode.UNAUTHORIZED, "the session has ended"));
        }
        if (!ticket) {
          return Future.succeededFuture(user);
        }
        if (!ticketsAccepted) {
          return Future.failedFuture(new ChorusException(ErrorCode.UNAUTHORIZED, "a ticket only opens a socket"));
        }
        return Future.succeededFuture(user); // used once: SocketTickets, which sees the request
      });
    }

    @Override
    public String generateToken(JsonObject claims, JWTOptions options) {
      return jwt.generateToken(claims, options);
    }

    @Override
    public String generateToken(JsonObject claims) {
      return jwt.generateToken(claims);
    }
  }
}
