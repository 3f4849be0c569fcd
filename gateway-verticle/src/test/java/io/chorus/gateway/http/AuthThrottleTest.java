package io.chorus.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.gateway.GatewayConfig;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.limits.SharedRateLimiter;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
  private final AtomicLong now = new AtomicLong();
  /** 10 attempts a minute and 2 registrations an hour per address; back-off after 3 failures from 1 s; 6 a name an hour. */
  private final AuthThrottle throttle = new AuthThrottle(new GatewayConfig.AuthLimits(10, 2, 3, 1, 6, 2, ""), now::get);

  @Test
  void failedLoginsFromOneAddressBackOffDoublingUntilOneSucceeds() {
    for (int i = 0; i < 3; i++) {
      ok(throttle.checkLogin("10.0.0.1", "alice"));
      throttle.loginFailed("10.0.0.1", "alice");
    }
    assertRateLimited(() -> ok(throttle.checkLogin("10.0.0.1", "ALICE")), "try again in 1 s");
    assertThatCode(() -> ok(throttle.checkLogin("10.0.0.1", "bob"))).as("another name").doesNotThrowAnyException();

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    ok(throttle.checkLogin("10.0.0.1", "alice"));
    throttle.loginFailed("10.0.0.1", "alice");
    assertRateLimited(() -> ok(throttle.checkLogin("10.0.0.1", "alice")), "try again in 2 s");
    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    ok(throttle.checkLogin("10.0.0.1", "alice"));
    throttle.loginSucceeded("10.0.0.1", "alice");
    throttle.loginFailed("10.0.0.1", "alice");
    assertThatCode(() -> ok(throttle.checkLogin("10.0.0.1", "alice"))).as("a success starts the count again")
        .doesNotThrowAnyException();
  }

  @Test
  void failingOnPurposeElsewhereDoesNotLockTheOwnerOut() {
    for (int i = 0; i < 3; i++) {
      throttle.loginFailed("203.0.113.9", "alice");
    }
    assertRateLimited(() -> ok(throttle.checkLogin("203.0.113.9", "alice")), "try again in 1 s");
    assertThatCode(() -> ok(throttle.checkLogin("10.0.0.1", "alice"))).as("alice's own address")
        .doesNotThrowAnyException();
  }

  @Test
  void failuresOfOneNameFromManyAddressesAreBoundedAnHour() {
    for (int i = 0; i < 6; i++) {
      throttle.loginFailed("198.51.100." + i, "alice");
    }
    assertRateLimited(() -> ok(throttle.checkLogin("198.51.100.200", "alice")), "in the last hour");
    now.addAndGet(TimeUnit.MINUTES.toNanos(10));
    assertThatCode(() -> ok(throttle.checkLogin("198.51.100.200", "alice"))).as("refilled: 6 an hour")
        .doesNotThrowAnyException();
  }

  @Test
  void theBackOffStopsGrowingAtItsCeiling() {
    AuthThrottle patient = new AuthThrottle(new GatewayConfig.AuthLimits(10, 2, 3, 1, 1_000, 2, ""), now::get);
    for (int i = 0; i < 60; i++) {
      patient.loginFailed("10.0.0.1", "alice");
    }
    assertRateLimited(() -> ok(patient.checkLogin("10.0.0.1", "alice")),
        "try again in " + AuthThrottle.MAX_BACKOFF_SECONDS + " s");
    now.addAndGet(TimeUnit.SECONDS.toNanos(AuthThrottle.MAX_BACKOFF_SECONDS));
    assertThatCode(() -> ok(patient.checkLogin("10.0.0.1", "alice"))).doesNotThrowAnyException();
  }

  @Test
  void anAddressHasABoundOnAttemptsAndOneOnRegistrations() {
    ok(throttle.checkRegistration("10.0.0.1"));
    ok(throttle.checkRegistration("10.0.0.1"));
    assertRateLimited(() -> ok(throttle.checkRegistration("10.0.0.1")), "at most 2 an hour");
    ok(throttle.checkRegistration("10.0.0.2"));

    for (int i = 0; i < 7; i++) {
      ok(throttle.checkLogin("10.0.0.1", "name" + i));
    }
    assertRateLimited(() -> ok(throttle.checkLogin("10.0.0.1", "another")), "at most 10 a minute");
    now.addAndGet(TimeUnit.SECONDS.toNanos(6));
    ok(throttle.checkLogin("10.0.0.1", "another"));
  }

  @Test
  void aUserTakesOnlySoManySocketTicketsAMinute() {
    ok(throttle.checkTicket("alice"));
    ok(throttle.checkTicket("alice"));
    assertRateLimited(() -> ok(throttle.checkTicket("alice")), "at most 2 a minute");
    ok(throttle.checkTicket("bob"));
    now.addAndGet(TimeUnit.SECONDS.toNanos(30));
    ok(throttle.checkTicket("alice"));
  }

  @Test
  void failureRecordsAreBoundedWhateverIsSent() {
    AuthThrottle throttle = new AuthThrottle(new GatewayConfig.AuthLimits(10, 2, 1, 60, 100_000, 2, ""), now::get);
    throttle.loginFailed("10.0.0.1", "first");
    for (int i = 0; i < AuthThrottle.MAX_TRACKED; i++) {
      throttle.loginFailed("10.0.0.2", "name" + i);
    }
    assertThatCode(() -> ok(throttle.checkLogin("10.0.0.1", "first")))
        .as("the oldest record made room for newer ones").doesNotThrowAnyException();
  }

  /** The check's outcome: nothing when allowed, its refusal thrown (the local limits answer at once). */
  private static void ok(Future<Void> check) {
    assertThat(check.isComplete()).isTrue();
    if (check.failed()) {
      throw (RuntimeException) check.cause();
    }
  }

  /** Limits two gateways share, as they share the cluster's buckets: one per name. */
  private SharedRateLimiter.Factory sharedLimits() {
    Map<String, SharedRateLimiter> byName = new HashMap<>();
    SharedRateLimiter.Factory local = SharedRateLimiter.local(now::get);
    return (name, perSecond, burst, grant) -> byName.computeIfAbsent(name,
        n -> local.create(n, perSecond, burst, grant));
  }

  @Test
  void theAddressNameAndTicketBoundsHoldAcrossGateways() {
    SharedRateLimiter.Factory cluster = sharedLimits();
    GatewayConfig.AuthLimits limits = new GatewayConfig.AuthLimits(4, 2, 100, 1, 3, 2, "");
    AuthThrottle first = new AuthThrottle(limits, cluster, now::get);
    AuthThrottle second = new AuthThrottle(limits, cluster, now::get);

    ok(first.checkRegistration("10.0.0.1"));
    ok(second.checkRegistration("10.0.0.1"));
    assertRateLimited(() -> ok(first.checkRegistration("10.0.0.1")), "at most 2 an hour");
    ok(second.checkLogin("10.0.0.1", "alice")); // the fourth attempt from the address
    assertRateLimited(() -> ok(second.checkLogin("10.0.0.1", "bob")), "at most 4 a minute");

    first.loginFailed("10.0.0.2", "carol");
    second.loginFailed("10.0.0.3", "carol");
    first.loginFailed("10.0.0.4", "carol");
    assertRateLimited(() -> ok(second.checkLogin("10.0.0.5", "carol")), "in the last hour");

    ok(first.checkTicket("dave"));
    ok(second.checkTicket("dave"));
    assertRateLimited(() -> ok(first.checkTicket("dave")), "at most 2 a minute");
  }

  private static void assertRateLimited(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ChorusException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
      assertThat(e.getMessage()).contains(message);
    });
  }
}
