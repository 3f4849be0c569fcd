package io.chorus.gateway;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.RateLimiter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Accounts are free to create and passwords can be guessed, so the auth endpoints are bounded on this gateway
 * ({@link GatewayConfig.AuthLimits}): per client address, attempts of any kind and registrations; per username,
 * failed logins back off: past the allowed failures in a row, the name's logins are refused with 429 for 1 s,
 * then 2 s, 4 s ... up to {@link #MAX_BACKOFF_SECONDS}, until a login succeeds. The back-off is per name
 * whatever the address, so spreading guesses over many addresses does not help; a name's owner waits as long
 * as a guesser would, which is the price of that. Counted per gateway. Used on the edge event loop only.
 */
final class AuthThrottle {
  static final long MAX_BACKOFF_SECONDS = 15 * 60;
  /** Past this many names with failures, names whose last failure is over an hour old are forgotten. */
  private static final int FORGET_ABOVE = 10_000;
  private static final long FORGET_AFTER_NANOS = TimeUnit.HOURS.toNanos(1);

  private final GatewayConfig.AuthLimits limits;
  private final LongSupplier nanoClock;
  private final RateLimiter attempts;
  private final RateLimiter registrations;
  private final Map<String, Failures> failures = new HashMap<>();

  private static final class Failures {
    int inARow;
    long lastNanos;
    long blockedUntilNanos;
  }

  AuthThrottle(GatewayConfig.AuthLimits limits, LongSupplier nanoClock) {
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.attempts = RateLimiter.perMinute(limits.attemptsPerMinute(), nanoClock);
    this.registrations = new RateLimiter(limits.registrationsPerHour() / 3600.0, limits.registrationsPerHour(),
        nanoClock);
  }

  /** A registration from {@code address}: 429 past either of the address's bounds. */
  void checkRegistration(String address) {
    checkAttempt(address);
    if (!registrations.tryAcquire(address)) {
      throw new ChorusException(ErrorCode.RATE_LIMITED,
          "too many registrations from your address: at most " + limits.registrationsPerHour() + " an hour");
    }
  }

  /** A login for {@code username} from {@code address}: 429 past the address's bound or while the name backs off. */
  void checkLogin(String address, String username) {
    checkAttempt(address);
    Failures name = failures.get(key(username));
    long now = nanoClock.getAsLong();
    if (name != null && name.blockedUntilNanos - now > 0) {
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(name.blockedUntilNanos - now + 999_999_999L));
      throw new ChorusException(ErrorCode.RATE_LIMITED,
          "too many failed logins for this username: try again in " + seconds + " s");
    }
  }

  void loginFailed(String username) {
    long now = nanoClock.getAsLong();
    if (failures.size() > FORGET_ABOVE) {
      failures.values().removeIf(f -> now - f.lastNanos > FORGET_AFTER_NANOS);
    }
    Failures name = failures.computeIfAbsent(key(username), k -> new Failures());
    name.inARow++;
    name.lastNanos = now;
    int over = name.inARow - limits.failuresBeforeBackoff() + 1;
    if (over > 0) {
      long seconds = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(over - 1, 20));
      name.blockedUntilNanos = now + TimeUnit.SECONDS.toNanos(seconds);
    }
  }

  void loginSucceeded(String username) {
    failures.remove(key(username));
  }

  private void checkAttempt(String address) {
    if (!attempts.tryAcquire(address)) {
      throw new ChorusException(ErrorCode.RATE_LIMITED, "too many sign-in attempts from your address: at most "
          + limits.attemptsPerMinute() + " a minute");
    }
  }

  private static String key(String username) {
    return username == null ? "" : username.toLowerCase(Locale.ROOT);
  }
}
