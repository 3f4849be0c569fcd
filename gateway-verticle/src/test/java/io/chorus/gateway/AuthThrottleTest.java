package io.chorus.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
  private final AtomicLong now = new AtomicLong();
  private final AuthThrottle throttle = new AuthThrottle(new GatewayConfig.AuthLimits(10, 2, 3), now::get);

  @Test
  void failedLoginsOfANameBackOffDoublingUntilOneSucceeds() {
    for (int i = 0; i < 3; i++) {
      throttle.checkLogin("10.0.0.1", "alice");
      throttle.loginFailed("alice");
    }
    assertRateLimited(() -> throttle.checkLogin("10.0.0.1", "alice"), "try again in 1 s");
    // Another address, the same name in another case.
    assertRateLimited(() -> throttle.checkLogin("10.0.0.2", "ALICE"), "too many failed logins for this username");
    assertThatCode(() -> throttle.checkLogin("10.0.0.1", "bob")).as("another name").doesNotThrowAnyException();

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    throttle.checkLogin("10.0.0.1", "alice");
    throttle.loginFailed("alice");
    assertRateLimited(() -> throttle.checkLogin("10.0.0.1", "alice"), "try again in 2 s");
    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    throttle.checkLogin("10.0.0.1", "alice");
    throttle.loginSucceeded("alice");
    throttle.loginFailed("alice");
    assertThatCode(() -> throttle.checkLogin("10.0.0.1", "alice")).as("a success starts the count again")
        .doesNotThrowAnyException();
  }

  @Test
  void theBackOffStopsGrowingAtItsCeiling() {
    for (int i = 0; i < 60; i++) {
      throttle.loginFailed("alice");
    }
    assertRateLimited(() -> throttle.checkLogin("10.0.0.1", "alice"), "try again in " + AuthThrottle.MAX_BACKOFF_SECONDS + " s");
    now.addAndGet(TimeUnit.SECONDS.toNanos(AuthThrottle.MAX_BACKOFF_SECONDS));
    assertThatCode(() -> throttle.checkLogin("10.0.0.1", "alice")).doesNotThrowAnyException();
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

  private static void assertRateLimited(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ChorusException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
      assertThat(e.getMessage()).contains(message);
    });
  }
}
