package io.chorus.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.gateway.GatewayConfig;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
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
      throttle.checkLogin("10.0.0.1", "alice");
      throttle.loginFailed("10.0.0.1", "alice");
    }
    assertRateLimited(() -> throttle.checkLogin("10.0.0.1", "ALICE"), "try again in 1 s");
    assertThatCode(() -> throttle.checkLogin("10.0.0.1", "bob")).as("another name").doesNotThrowAnyException();

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    throttle.checkLogin("10.0.0.1", "alice");
    throttle.loginFailed("10.0.0.1", "alice");
    assertRateLimited(() -> throttle.checkLogin("10.0.0.1", "alice"), "try again in 2 s");
    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    throttle.checkLogin("10.0.0.1", "alice");
    throttle.loginSucceeded("10.0.0.1", "alice");
    throttle.loginFailed("10.0.0.1", "alice");
    assertThatCode(() -> throttle.checkLogin("10.0.0.1", "alice")).as("a success starts the count again")
        .doesNotThrowAnyException();
  }

  @Test
  void failingOnPurposeElsewhereDoesNotLockTheOwnerOut() {
    for (int i = 0; i < 3; i++) {
      throttle.loginFailed("203.0.113.9", "alice");
    }
    assertRateLimited(() -> throttle.checkLogin("203.0.113.9", "alice"), "try again in 1 s");
    assertThatCode(() -> throttle.checkLogin("10.0.0.1", "alice")).as("alice's own address")
        .doesNotThrowAnyException();
  }

  @Test
  void failuresOfOneNameFromManyAddressesAreBoundedAnHour() {
    for (int i = 0; i < 6; i++) {
      throttle.loginFailed("198.51.100." + i, "alice");
    }
    assertRateLimited(() -> throttle.checkLogin("198.51.100.200", "alice"), "in the last hour");
    now.addAndGet(TimeUnit.MINUTES.toNanos(10));
    assertThatCode(() -> throttle.checkLogin("198.51.100.200", "alice")).as("refilled: 6 an hour")
        .doesNotThrowAnyException();
  }

  @Test
  void theBackOffStopsGrowingAtItsCeiling() {
    AuthThrottle patient = new AuthThrottle(new GatewayConfig.AuthLimits(10, 2, 3, 1, 1_000, 2, ""), now::get);
    for (int i = 0; i < 60; i++) {
      patient.loginFailed("10.0.0.1", "alice");
    }
    assertRateLimited(() -> patient.checkLogin("10.0.0.1", "alice"), "try again in " + AuthThrottle.MAX_BACKOFF_SECONDS + " s");
    now.addAndGet(TimeUnit.SECONDS.toNanos(AuthThrottle.MAX_BACKOFF_SECONDS));
    assertThatCode(() -> patient.checkLogin("10.0.0.1", "alice")).doesNotThrowAnyException();
  }

  @Test
  void anAddressHasABoundOnAttemptsAndOneOnRegistrations() {
    throttle.checkRegistration("10.0.0.1");
    throttle.checkRegistration("10.0.0.1");
    assertRateLimited(() -> throttle.checkRegistration("10.0.0.1"), "at most 2 an hour");
    throttle.checkRegistration("10.0.0.2");

    for (int i = 0; i < 7; i++) {
      throttle.checkLogin("10.0.0.1", "name" + i);
    }
    assertRateLimited(() -> throttle.checkLogin("10.0.0.1", "another"), "at most 10 a minute");
    now.addAndGet(TimeUnit.SECONDS.toNanos(6));
    throttle.checkLogin("10.0.0.1", "another");
  }

  @Test
  void aUserTakesOnlySoManySocketTicketsAMinute() {
    throttle.checkTicket("alice");
    throttle.checkTicket("alice");
    assertRateLimited(() -> throttle.checkTicket("alice"), "at most 2 a minute");
    throttle.checkTicket("bob");
    now.addAndGet(TimeUnit.SECONDS.toNanos(30));
    throttle.checkTicket("alice");
  }

  @Test
  void failureRecordsAreBoundedWhateverIsSent() {
    AuthThrottle throttle = new AuthThrottle(new GatewayConfig.AuthLimits(10, 2, 1, 60, 100_000, 2, ""), now::get);
    throttle.loginFailed("10.0.0.1", "first");
    for (int i = 0; i < AuthThrottle.MAX_TRACKED; i++) {
      throttle.loginFailed("10.0.0.2", "name" + i);
    }
    assertThatCode(() -> throttle.checkLogin("10.0.0.1", "first"))
        .as("the oldest record made room for newer ones").doesNotThrowAnyException();
  }

  private static void assertRateLimited(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ChorusException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
      assertThat(e.getMessage()).contains(message);
    });
  }
}
