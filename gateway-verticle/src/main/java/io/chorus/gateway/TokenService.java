package io.chorus.gateway;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
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
final class TokenService {
  static final String SESSION_ID = "sid";
  static final String SESSION_START = "sst";

  private final JWTAuth jwt;
  private final JWTAuth checked;
  private final int ttlMinutes;
  private final long sessionMaxSeconds;
  private final SessionRevocations revocations;
  private final Clock clock;

  record IssuedToken(String token, Instant expiresAt) {
    JsonObject toJson() {
      return new JsonObject().put("token", token).put("expiresAt", expiresAt.toString());
    }
  }

  TokenService(Vertx vertx, GatewayConfig config, SessionRevocations revocations, Clock clock) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.jwtSecret())));
    this.ttlMinutes = config.tokenTtlMinutes();
    this.sessionMaxSeconds = config.sessionMaxHours() * 3600L;
    this.revocations = revocations;
    this.clock = clock;
    this.checked = new Checked();
  }

  /** What the auth handlers use: the signature and expiry as vertx-auth checks them, then this service's rules. */
  JWTAuth auth() {
    return checked;
  }

  /** A new session: after a login or a registration. */
  IssuedToken issue(String userId, String username) {
    return issue(userId, username, UUID.randomUUID().toString(), clock.instant().getEpochSecond());
  }

  /** The same session, a fresh token; 401 once the session has reached its lifetime. */
  IssuedToken refresh(User user) {
    JsonObject claims = user.principal();
    Long started = claims.getLong(SESSION_START);
    String sessionId = claims.getString(SESSION_ID);
    if (started == null || sessionId == null) {
      // A token from before sessions: its refresh starts one.
      return issue(userId(user), username(user));
    }
    if (clock.instant().getEpochSecond() >= started + sessionMaxSeconds) {
      throw new ChorusException(ErrorCode.UNAUTHORIZED, "the session has ended: log in again");
    }
    return issue(userId(user), username(user), sessionId, started);
  }

  /** Ends the caller's session on every gateway (a token from before sessions just runs out). */
  Future<Void> logout(User user) {
    String sessionId = user.principal().getString(SESSION_ID);
    Long started = user.principal().getLong(SESSION_START);
    if (sessionId == null || started == null) {
      return Future.succeededFuture();
    }
    return revocations.revoke(sessionId, (started + sessionMaxSeconds) * 1000);
  }

  private IssuedToken issue(String userId, String username, String sessionId, long sessionStart) {
    long now = clock.instant().getEpochSecond();
    long expiresAt = Math.min(now + ttlMinutes * 60L, sessionStart + sessionMaxSeconds);
    String token = jwt.generateToken(
        new JsonObject().put("sub", userId).put("name", username).put(SESSION_ID, sessionId)
            .put(SESSION_START, sessionStart),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) Math.max(1, expiresAt - now)));
    return new IssuedToken(token, Instant.ofEpochSecond(expiresAt));
  }

  static String userId(User user) {
    return user.principal().getString("sub");
  }

  static String username(User user) {
    return user.principal().getString("name");
  }

  /** vertx-auth keeps a JWT's {@code exp} among the user's attributes (it checks it there), not its principal. */
  private static Object expiry(User user) {
    Object exp = user.attributes().getValue("exp");
    if (exp == null && user.attributes().getValue("accessToken") instanceof JsonObject token) {
      exp = token.getValue("exp");
    }
    return exp != null ? exp : user.principal().getValue("exp");
  }

  static String sessionId(User user) {
    return user.principal().getString(SESSION_ID);
  }

  /** vertx-auth's JWT check, then: an expiry is required, and the session must not have been logged out. */
  private final class Checked implements JWTAuth {
    @Override
    public Future<User> authenticate(Credentials credentials) {
      return jwt.authenticate(credentials).compose(user -> {
        if (!(expiry(user) instanceof Number)) {
          return Future.failedFuture(new ChorusException(ErrorCode.UNAUTHORIZED, "the token has no expiry"));
        }
        if (revocations.isRevoked(sessionId(user))) {
          return Future.failedFuture(new ChorusException(ErrorCode.UNAUTHORIZED, "the session has ended"));
        }
        return Future.succeededFuture(user);
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
