package io.chorus.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SseStreamsTest {

  private static ErrorCode refusal(SseStreams streams, String userId) {
    try {
      streams.reserve(userId);
    } catch (ChorusException refused) {
      return refused.code();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void aPlaceIsCountedFromItsReservationSoConcurrentSetUpsCannotPassTheBound() {
    SseStreams streams = new SseStreams(3);
    IntStream.range(0, 3).forEach(i -> streams.reserve("alice"));

    assertThat(refusal(streams, "alice")).isEqualTo(ErrorCode.RATE_LIMITED);
    streams.reserve("bob"); // the bound is per user
  }

  @Test
  void aFailedSetUpGivesItsPlaceBackOnceHoweverOftenItIsCalled() {
    SseStreams streams = new SseStreams(2);
    SseStreams.Place first = streams.reserve("alice");
    streams.reserve("alice");

    first.abandon();
    first.abandon();

    streams.reserve("alice");
    assertThat(refusal(streams, "alice")).isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void aDrainingGatewayTakesNoNewStreams() {
    SseStreams streams = new SseStreams(2);
    streams.closeAll(3_000);

    assertThatThrownBy(() -> streams.reserve("alice")).isInstanceOf(ChorusException.class)
        .satisfies(e -> assertThat(((ChorusException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }
}
