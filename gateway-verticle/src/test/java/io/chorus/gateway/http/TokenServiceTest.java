package io.chorus.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.gateway.ClusterClient;
import io.chorus.gateway.GatewayConfig;
import io.chorus.model.ChorusException;
import io.chorus.model.Env;
import io.chorus.model.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private final Vertx vertx = Vertx.vertx();
  private final GatewayConfig config = GatewayConfig.from(new Env(Map.of("JWT_SECRET", SECRET,
      "JWT_TTL_MINUTES", "60", "SESSION_MAX_HOURS", "24")));
  private final SessionRevocations revocations = new SessionRevocations(new ClusterClient(vertx));
  private Instant now = Instant.now();
  private final TokenService tokens = new TokenService(vertx, config, revocations, new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  });

  @AfterEach
  void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void aRefreshKeepsTheSessionUntilItsLifetimeThenRefuses() throws Exception {
    revocations.start(sessionId -> { }).await(5, TimeUnit.SECONDS);
    TokenService.IssuedToken login = tokens.issue("u1", "alice");
    User user = authenticate(login.token());
    String session = TokenService.sessionId(user);
    assertThat(session).isNotBlank();

    now = now.plus(Duration.ofHours(23));
    TokenService.IssuedToken refreshed = tokens.refresh(user);
    assertThat(TokenService.sessionId(authenticate(refreshed.token()))).isEqualTo(session);
    assertThat(refreshed.expiresAt()).as("never past the session's end")
        .isEqualTo(Instant.ofEpochSecond(user.principal().getLong(TokenService.SESSION_START)).plus(Duration.ofHours(24)));

    now = now.plus(Duration.ofHours(1));
    assertThatThrownBy(() -> tokens.refresh(user)).isInstanceOfSatisfying(ChorusException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
  }

  @Test
  void aTokenWithoutAnExpiryIsRefused() {
    JWTAuth sameKey = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    String forever = sameKey.generateToken(new JsonObject().put("sub", "u1").put("name", "alice"),
        new JWTOptions().setAlgorithm("HS256"));
    assertThatThrownBy(() -> authenticate(forever)).hasMessageContaining("no expiry");
  }

  @Test
  void aLogoutEndsThatSessionOnlyWithAllItsTokens() throws Exception {
    revocations.start(sessionId -> { }).await(5, TimeUnit.SECONDS);
    TokenService.IssuedToken phone = tokens.issue("u1", "alice");
    TokenService.IssuedToken laptop = tokens.issue("u1", "alice");
    User phoneUser = authenticate(phone.token());
    TokenService.IssuedToken phoneRefreshed = tokens.refresh(phoneUser);

    tokens.logout(phoneUser).await(5, TimeUnit.SECONDS);

    assertThatThrownBy(() -> authenticate(phone.token())).hasMessageContaining("session has ended");
    assertThatThrownBy(() -> authenticate(phoneRefreshed.token())).hasMessageContaining("session has ended");
    assertThat(TokenService.userId(authenticate(laptop.token()))).isEqualTo("u1");
  }

  @Test
  void theAdminRoleTravelsInTheTokenAndItsRefreshes() throws Exception {
    User admin = authenticate(tokens.issue("u1", "root", true).token());
    assertThat(TokenService.isAdmin(admin)).isTrue();
    assertThat(TokenService.isAdmin(authenticate(tokens.refresh(admin).token()))).isTrue();
    User plain = authenticate(tokens.issue("u2", "alice").token());
    assertThat(TokenService.isAdmin(plain)).isFalse();
    assertThat(TokenService.isAdmin(authenticate(tokens.refresh(plain).token()))).isFalse();
  }

  @Test
  void adminUsersAreNamedWithoutCase() {
    GatewayConfig named = GatewayConfig.from(new Env(Map.of("JWT_SECRET", SECRET, "ADMIN_USERS", " Root, ops.team ,")));
    assertThat(named.namedAdmin("root")).isTrue();
    assertThat(named.namedAdmin("OPS.TEAM")).isTrue();
    assertThat(named.namedAdmin("alice")).isFalse();
    assertThat(named.namedAdmin("")).isFalse();
    assertThat(config.namedAdmin("root")).as("none by default").isFalse();
  }

  private User authenticate(String token) throws Exception {
    return tokens.auth().authenticate(new TokenCredentials(token)).await(5, TimeUnit.SECONDS);
  }
}
