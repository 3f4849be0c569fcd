package io.chorus.gateway.http;

import io.chorus.gateway.GatewayConfig;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.limits.SharedRateLimiter;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Accounts are free to create and passwords can be guessed, so the auth endpoints are bounded
 * ({@link GatewayConfig.AuthLimits}):
 * <ul>
 *   <li>per client address, across the cluster: attempts of any kind, and registrations;</li>
 *   <li>per username and address, on this gateway: failed logins back off: past the allowed failures in a row, that
 *       address's logins for the name are refused with 429 for the first back-off, then twice as long each time, up
 *       to {@link #MAX_BACKOFF_SECONDS}, until a login succeeds. Keyed by address too, so nobody can lock another
 *       user out by failing on purpose from elsewhere;</li>
 *   <li>per username, from all addresses together, across the cluster: at most {@code failuresPerNamePerHour}
 *       failures an hour, so spreading guesses over many addresses (or gateways) gains little;</li>
 *   <li>per user, across the cluster: socket tickets.</li>
 * </ul>
 * The cluster-wide bounds are {@link SharedRateLimiter}s asking the cluster for every take (a grant of 1: sign-ins
 * are rare and cost a password hash anyway), so N gateways do not give N times each. The back-off stays on each
 * gateway: it is a count of failures in a row that a success resets, which a cluster map could only keep with a
 * read and a write per login, and what it could add is bounded already: a guesser spreading over the gateways is
 * still held to the address's attempts and the name's failures an hour, cluster-wide.
 * The client address is the connection's peer, or the client a trusted proxy names ({@link ClientAddress}).
 * Memory is bounded whatever clients send: names are checked for their form by the caller before they get here,
 * the failure records keep the most recent {@link #MAX_TRACKED} only, and the cluster's buckets expire once
 * refilled. Checks answer with a failed future (429, or 503 when the cluster cannot be asked). Edge event loop only.
 */
public final class AuthThrottle {
  static final long MAX_BACKOFF_SECONDS = 15 * 60;
  /** Failure records kept at most; the least recently failed go first. */
  static final int MAX_TRACKED = 20_000;

  private final GatewayConfig.AuthLimits limits;
  private final LongSupplier nanoClock;
  private final SharedRateLimiter attempts;
  private final SharedRateLimiter registrations;
  private final SharedRateLimiter failuresPerName;
  private final SharedRateLimiter tickets;
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

  /** With this gateway's buckets only (unit tests). */
  public AuthThrottle(GatewayConfig.AuthLimits limits, LongSupplier nanoClock) {
    this(limits, SharedRateLimiter.local(nanoClock), nanoClock);
  }

  public AuthThrottle(GatewayConfig.AuthLimits limits, SharedRateLimiter.Factory shared, LongSupplier nanoClock) {
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.attempts = shared.perMinute("auth-attempts", limits.attemptsPerMinute(), 1);
    this.registrations = shared.perHour("auth-registrations", limits.registrationsPerHour(), 1);
    this.failuresPerName = shared.perHour("auth-failures-per-name", limits.failuresPerNamePerHour(), 1);
    this.tickets = shared.perMinute("auth-tickets", limits.ticketsPerMinute(), 1);
  }

  /**
   * A socket ticket for {@code userId}: 429 past {@code TICKETS_PER_MINUTE}. Each ticket that opens a socket is
   * remembered until its token ends, so an unbounded stream of them would be memory for the taking.
   */
  Future<Void> checkTicket(String userId) {
    return take(tickets, userId, () -> "too many socket tickets: at most " + limits.ticketsPerMinute() + " a minute");
  }

  /** A registration from {@code address}: 429 past either of the address's bounds. */
  Future<Void> checkRegistration(String address) {
    return checkAttempt(address).compose(v -> take(registrations, address,
        () -> "too many registrations from your address: at most " + limits.registrationsPerHour() + " an hour"));
  }

  /** A login for {@code username} from {@code address}: 429 past the address's bound, or while it backs off. */
  Future<Void> checkLogin(String address, String username) {
    return checkAttempt(address).compose(v -> {
      Failures here = failures.get(key(address, username));
      long now = nanoClock.getAsLong();
      if (here != null && here.blockedUntilNanos - now > 0) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(here.blockedUntilNanos - now + 999_999_999L));
        return Future.failedFuture(new ChorusException(ErrorCode.RATE_LIMITED,
            "too many failed logins for this username: try again in " + seconds + " s"));
      }
      return reachable(failuresPerName.hasToken(name(username))).compose(hasToken -> hasToken
          ? Future.<Void>succeededFuture()
          : Future.failedFuture(new ChorusException(ErrorCode.RATE_LIMITED,
              "too many failed logins for this username in the last hour: try again later")));
    });
  }

  void loginFailed(String address, String username) {
    failuresPerName.tryAcquire(name(username)); // counted; the next check reads it (a lost count is one guess)
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

  private Future<Void> checkAttempt(String address) {
    return take(attempts, address,
        () -> "too many sign-in attempts from your address: at most " + limits.attemptsPerMinute() + " a minute");
  }

  private static Future<Void> take(SharedRateLimiter limiter, String key, Supplier<String> refusal) {
    return reachable(limiter.tryAcquire(key)).compose(allowed -> allowed ? Future.<Void>succeededFuture()
        : Future.failedFuture(new ChorusException(ErrorCode.RATE_LIMITED, refusal.get())));
  }

  /** A limiter that cannot be reached refuses (503) rather than letting guesses through. */
  private static Future<Boolean> reachable(Future<Boolean> answer) {
    return answer.recover(err -> Future.failedFuture(
        ChorusException.unavailable("sign-in limits cannot be checked now; try again")));
  }

  private static String name(String username) {
    return username.toLowerCase(Locale.ROOT);
  }

  private static String key(String address, String username) {
    return address + '\n' + name(username);
  }
}
