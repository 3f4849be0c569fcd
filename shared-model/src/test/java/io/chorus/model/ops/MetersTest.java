package io.chorus.model.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private long count(String outcome) {
    var timer = registry.find("chorus.test").tag("outcome", outcome).timer();
    return timer == null ? -1 : timer.count();
  }

  @Test
  void eachOutcomeIsTimedUnderItsCodeAndOkIsShownBeforeTheFirstRequest() {
    Function<String, Future<String>> timed = Meters.timed(registry, "chorus.test", "a test", request -> switch (request) {
      case "ok" -> Future.succeededFuture("done");
      case "busy" -> Future.failedFuture(new ChorusException(ErrorCode.RATE_LIMITED, "busy"));
      default -> throw new IllegalStateException("a bug");
    });
    assertThat(count("ok")).isZero();

    timed.apply("ok");
    timed.apply("ok");
    timed.apply("busy");
    timed.apply("busy");
    timed.apply("boom");

    assertThat(count("ok")).isEqualTo(2);
    assertThat(count("429")).isEqualTo(2);
    assertThat(count("500")).isEqualTo(1);
  }
}
