package io.chorus.gateway;

import io.chorus.gateway.http.ClientAddress;
import io.chorus.model.Env;
import io.chorus.model.assistants.AssistantCatalog;
import io.chorus.model.chat.MessageText;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's settings. Without {@code JWT_SECRET} a random key is generated per start: fine for one
 * gateway, wrong for several (their tokens would not be accepted by each other), hence the warning.
 */
public record GatewayConfig(
    int httpPort,
    String jwtSecret,
    int tokenTtlMinutes,
    int bcryptCost,
    int maxFrameBytes,
    long pingTimeoutMs,
    String allowedOrigin,
    long orderHoldMs,
    long maxUploadBytes,
    int uploadsPerMinute,
    int conversationChangesPerMinute,
    long drainMs,
    long httpIdleTimeoutMs,
    long httpHeaderTimeoutMs,
    int maxSocketsPerUser,
    int maxRoomsPerSocket,
    int maxTextLength,
    AuthLimits authLimits,
    int sessionMaxHours,
    String metricsToken,
    int socketQueueBytes,
    AssistantCatalog assistants,
    Set<String> adminUsers) {

  private static final Logger log = LoggerFactory.getLogger(GatewayConfig.class);
  /** docker-compose.yml's default: published, so anyone could sign tokens with it. */
  static final String DEV_JWT_SECRET = "dev-only-insecure-jwt-secret-change-me-0123456789";

  /**
   * How hard the auth endpoints may be used, per gateway: attempts of any kind per client address per minute,
   * registrations per client address per hour, the failed logins of one username from one address before that
   * address's logins for it back off (from {@code backoffSeconds}, doubling up to
   * {@code AuthThrottle.MAX_BACKOFF_SECONDS}, until one succeeds), and the failures one username may collect an
   * hour from all addresses together; the socket tickets one user may take a minute (each is a socket to
   * remember until its token ends); and the proxies whose {@code X-Forwarded-For} names the client address.
   */
  public record AuthLimits(int attemptsPerMinute, int registrationsPerHour, int failuresBeforeBackoff,
      int backoffSeconds, int failuresPerNamePerHour, int ticketsPerMinute, String trustedProxies) {
    static AuthLimits from(Env env) {
      AuthLimits limits = new AuthLimits(
          env.integer("AUTH_ATTEMPTS_PER_MINUTE", 30, 1, 100_000),
          env.integer("REGISTRATIONS_PER_HOUR", 10, 1, 100_000),
          env.integer("LOGIN_FAILURES_BEFORE_BACKOFF", 5, 1, 1_000),
          env.integer("LOGIN_BACKOFF_SECONDS", 1, 1, 3_600),
          env.integer("LOGIN_FAILURES_PER_NAME_PER_HOUR", 100, 1, 100_000),
          env.integer("TICKETS_PER_MINUTE", 30, 1, 100_000),
          env.string("TRUSTED_PROXIES", ""));
      ClientAddress.trusting(limits.trustedProxies()); // a bad entry stops start-up, naming it
      return limits;
    }
  }

  public static GatewayConfig from(Env env) {
    String secret = env.string("JWT_SECRET", null);
    if (secret == null) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      secret = Base64.getEncoder().encodeToString(random);
      log.warn("JWT_SECRET is not set: generated a key for this process only; set it when running more than one gateway");
    } else if (secret.length() < 32) {
      throw new IllegalArgumentException("JWT_SECRET must be at least 32 characters");
    } else if (secret.equals(DEV_JWT_SECRET) && !"true".equalsIgnoreCase(env.string("ALLOW_DEV_JWT_SECRET", null))) {
      throw new IllegalArgumentException("JWT_SECRET is the development default written in docker-compose.yml, so "
          + "anyone can sign tokens with it: set a secret of your own (e.g. openssl rand -hex 32), or "
          + "ALLOW_DEV_JWT_SECRET=true for a local try-out");
    }
    return new GatewayConfig(
        env.integer("HTTP_PORT", 8080, 0, 65535),
        secret,
        env.integer("JWT_TTL_MINUTES", 60, 1, 60 * 24 * 30),
        env.integer("BCRYPT_COST", 10, 4, 16),
        env.integer("MAX_FRAME_BYTES", 256 * 1024, 1024, 16 * 1024 * 1024),
        env.longValue("BRIDGE_PING_TIMEOUT_MS", 30_000, 1_000, 600_000),
        env.string("ALLOWED_ORIGIN", null),
        env.longValue("ORDER_HOLD_MS", 100, 0, 10_000),
        // The same MAX_UPLOAD_BYTES as storage's, so the gateway refuses before storage would.
        env.longValue("MAX_UPLOAD_BYTES", 25L * 1024 * 1024, 1, Long.MAX_VALUE),
        env.integer("UPLOAD_RATE_PER_MINUTE", 30, 1, 100_000),
        env.integer("CONVERSATION_CHANGES_PER_MINUTE", 60, 1, 100_000),
        env.longValue("GATEWAY_DRAIN_MS", 5_000, 0, 120_000),
        // Above the SockJS heartbeat (25 s) and the bridge's pings, so live sockets never look idle.
        env.longValue("HTTP_IDLE_TIMEOUT_MS", 60_000, 1_000, 3_600_000),
        env.longValue("HTTP_HEADER_TIMEOUT_MS", 10_000, 100, 600_000),
        env.integer("MAX_SOCKETS_PER_USER", 20, 1, 100_000),
        env.integer("MAX_ROOMS_PER_SOCKET", 200, 1, 100_000),
        // The text sent with a file is a chat message: one setting rules both.
        MessageText.maxChars(env),
        AuthLimits.from(env),
        env.integer("SESSION_MAX_HOURS", 24 * 7, 1, 24 * 365),
        env.string("METRICS_TOKEN", null),
        // What the gateway may hold for one slow reader (a bridge socket or an SSE stream) before closing it.
        env.integer("SOCKET_QUEUE_BYTES", 1024 * 1024, 16 * 1024, 256 * 1024 * 1024),
        AssistantCatalog.read(env),
        adminUsers(env.string("ADMIN_USERS", "")));
  }

  /** {@code ADMIN_USERS}: comma-separated usernames, compared without case as logins are. */
  static Set<String> adminUsers(String names) {
    return Arrays.stream(names.split(",")).map(String::trim).filter(n -> !n.isEmpty())
        .map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  /** Named in {@code ADMIN_USERS} (a grant in the database is the other way to be an admin). */
  public boolean namedAdmin(String username) {
    return username != null && adminUsers.contains(username.toLowerCase(Locale.ROOT));
  }

  /** Frames up to four times the limit are read and refused with 413; larger ones close the socket. */
  int maxWebSocketMessageBytes() {
    return maxFrameBytes * 4;
  }
}
