package io.chorus.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** An unknown name is verified against a hash as slow as a real one, so timing does not tell names apart. */
  @Test
  void theDummyHashHasTheConfiguredCost() throws Exception {
    PasswordHasher hasher = new PasswordHasher(vertx, 6);
    assertThat(PasswordHasher.costOf(hasher.dummyHash().await(10, TimeUnit.SECONDS))).isEqualTo(6);
    String real = hasher.hash("correct horse").await(10, TimeUnit.SECONDS);
    assertThat(PasswordHasher.costOf(real)).isEqualTo(6);
  }

  @Test
  void anUnknownUserNeverVerifies() throws Exception {
    PasswordHasher hasher = new PasswordHasher(vertx, 4);
    assertThat(hasher.verify("not-a-password", null).await(10, TimeUnit.SECONDS)).isFalse();
    String real = hasher.hash("correct horse").await(10, TimeUnit.SECONDS);
    assertThat(hasher.verify("correct horse", real).await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void passwordsOver72BytesOfUtf8AreA400NamingTheLimit() {
    PasswordHasher.checkLength("x".repeat(72));
    PasswordHasher.checkLength("\uD83D\uDE00".repeat(18)); // 18 emoji of 4 bytes
    assertThatThrownBy(() -> PasswordHasher.checkLength("\uD83D\uDE00".repeat(19)))
        .isInstanceOfSatisfying(ChorusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(e.getMessage()).contains("72 bytes").contains("UTF-8");
        });
    PasswordHasher hasher = new PasswordHasher(vertx, 4);
    assertThatThrownBy(() -> hasher.verify("y".repeat(73), null)).isInstanceOf(ChorusException.class);
  }
}
