package io.chorus.gateway.http;

import io.chorus.gateway.GatewayConfig;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.RateLimiter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Accounts are free to create and passwords can be guessed, so the auth endpoints are bounded on this gateway
 * ({@link GatewayConfig.AuthLimits}):
 * <ul>
 *   <li>per client address: attempts of any kind, and registrations;</li>
 *   <li>per username and address: failed logins back off: past the allowed failures in a row, that address's
 *       logins for the name are refused with 429 for the first back-off, then twice as long each time, up to
 *       {@link #MAX_BACKOFF_SECONDS}, until a login succeeds. Keyed by address too, so nobody can lock another
 *       user out by failing on purpose from elsewhere;</li>
 *   <li>per username, from all addresses together: at most {@code failuresPerNamePerHour} failures an hour, so
 *       spreading guesses over many addresses gains little;</li>
 *   <li>per user: socket tickets.</li>
 * </ul>
 * The client address is the connection's peer, or the client a trusted proxy names ({@link ClientAddress}).
 * Memory is bounded whatever clients send: names are checked for their form by the caller before they get here,
 * and the failure records keep the most recent {@link #MAX_TRACKED} only. Counted per gateway, on the edge event
 * loop only.
 */
public final class AuthThrottle {
  static final long MAX_BACKOFF_SECONDS = 15 * 60;
  /** Failure records kept at most; the least recently failed go first. */
  static final int MAX_TRACKED = 20_000;

  private final GatewayConfig.AuthLimits limits;
  private final LongSupplier nanoClock;
  private final RateLimiter attempts;
  private final RateLimiter registrations;
  private final RateLimiter failuresPerName;
  private final RateLimiter tickets;
  private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  private static final class Failures {
    int inARow;
    long blockedUntilNanos;
  }

  public AuthThrottle(GatewayConfig.AuthLimits limits, LongSupplier nanoClock) {
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.attempts = RateLimiter.perMinute(limits.attemptsPerMinute(), nanoClock);
    this.registrations = new RateLimiter(limits.registrationsPerHour() / 3600.0, limits.registrationsPerHour(),
        nanoClock);
    this.failuresPerName = new RateLimiter(limits.failuresPerNamePerHour() / 3600.0,
        limits.failuresPerNamePerHour(), nanoClock);
    this.tickets = RateLimiter.perMinute(limits.ticketsPerMinute(), nanoClock);
  }

  /**
   * A socket ticket for {@code userId}: 429 past {@code TICKETS_PER_MINUTE}. Each ticket that opens a socket is
   * remembered until its token ends, so an unbounded stream of them would be memory for the taking.
   */
  void checkTicket(String userId) {
    if (!tickets.tryAcquire(userId)) {
      throw new ChorusException(ErrorCode.RATE_LIMITED,
          "too many socket tickets: at most " + limits.ticketsPerMinute() + " a minute");
    }
  }

  /** A registration from {@code address}: 429 past either of the address's bounds. */
  void checkRegistration(String address) {
    checkAttempt(address);
    if (!registrations.tryAcquire(address)) {
      throw new ChorusException(ErrorCode.RATE_LIMITED,
          "too many registrations from your address: at most " + limits.registrationsPerHour() + " an hour");
    }
  }

  /** A login for {@code username} from {@code address}: 429 past the address's bound, or while it backs off. */
  void checkLogin(String address, String username) {
    checkAttempt(address);
    Failures here = failures.get(key(address, username));
    long now = nanoClock.getAsLong();
    if (here != null && here.blockedUntilNanos - now > 0) {
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(here.blockedUntilNanos - now + 999_999_999L));
      throw new ChorusException(ErrorCode.RATE_LIMITED,
          "too many failed logins for this username: try again in " + seconds + " s");
    }
    if (!failuresPerName.hasToken(name(username))) {
      throw new ChorusException(ErrorCode.RATE_LIMITED, "too many failed logins for this username in the last "
          + "hour: try again later");
    }
  }

  void loginFailed(String address, String username) {
    failuresPerName.tryAcquire(name(username));
    Failures here = failures.computeIfAbsent(key(address, username), k -> new Failures());
    here.inARow++;
    int over = here.inARow - limits.failuresBeforeBackoff() + 1;
    if (over > 0) {
      long seconds = Math.min(MAX_BACKOFF_SECONDS, limits.backoffSeconds() << Math.min(over - 1, 20));
      here.blockedUntilNanos = nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(seconds);
    }
  }

  void loginSucceeded(String address, String username) {
    failures.remove(key(address, username));
  }

  private void checkAttempt(String address) {
    if (!attempts.tryAcquire(address)) {
      throw new ChorusException(ErrorCode.RATE_LIMITED, "too many sign-in attempts from your address: at most "
          + limits.attemptsPerMinute() + " a minute");
    }
  }

  private static String name(String username) {
    return username.toLowerCase(Locale.ROOT);
  }

  private static String key(String address, String username) {
    return address + '\n' + name(username);
  }
}
