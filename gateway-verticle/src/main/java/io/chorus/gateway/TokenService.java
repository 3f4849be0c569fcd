package io.chorus.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Instant;

/**
 * Issues and checks HS256 JWTs. The user id is {@code sub}; the display name travels as {@code name}
 * (not {@code username}: vertx-auth's {@code User.subject()} would then return it instead of sub).
 */
final class TokenService {
  private final JWTAuth jwt;
  private final int ttlMinutes;

  record IssuedToken(String token, Instant expiresAt) {
    JsonObject toJson() {
      return new JsonObject().put("token", token).put("expiresAt", expiresAt.toString());
    }
  }

  TokenService(Vertx vertx, GatewayConfig config) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.jwtSecret())));
    this.ttlMinutes = config.tokenTtlMinutes();
  }

  JWTAuth auth() {
    return jwt;
  }

  IssuedToken issue(String userId, String username) {
    Instant expiresAt = Instant.now().plusSeconds(ttlMinutes * 60L);
    String token = jwt.generateToken(
        new JsonObject().put("sub", userId).put("name", username),
        new JWTOptions().setAlgorithm("HS256").setExpiresInMinutes(ttlMinutes));
    return new IssuedToken(token, expiresAt);
  }

  static String userId(User user) {
    return user.principal().getString("sub");
  }

  static String username(User user) {
    return user.principal().getString("name");
  }
}
