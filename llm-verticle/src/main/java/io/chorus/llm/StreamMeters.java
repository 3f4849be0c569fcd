package io.chorus.llm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * A worker's answer meters: time to the first token, how long text waits between the provider and the
 * room (coalescing window plus the registry write), and how answers end.
 */
final class StreamMeters {
  private final MeterRegistry meters;
  private final Timer firstToken;
  private final Timer tokenLatency;

  StreamMeters(MeterRegistry meters) {
    this.meters = meters;
    this.firstToken = Timer.builder("chorus.llm.first.token")
        .description("from the request to the provider to its first text")
        .publishPercentileHistogram().register(meters);
    this.tokenLatency = Timer.builder("chorus.llm.token.latency")
        .description("from the provider's text arriving to its chunk being published to the room "
            + "(the oldest text of each chunk)")
        .publishPercentileHistogram().register(meters);
  }

  /** For tests: meters nobody reads. */
  static StreamMeters none() {
    return new StreamMeters(new SimpleMeterRegistry());
  }

  void firstToken(long nanos) {
    firstToken.record(nanos, TimeUnit.NANOSECONDS);
  }

  void tokenLatency(long nanos) {
    tokenLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** {@code outcome}: stop, length, cancelled, failed, or taken_over (ended by another node). */
  void ended(String outcome) {
    Counter.builder("chorus.llm.answers").description("answers ended, by outcome").tag("outcome", outcome)
        .register(meters).increment();
  }
}
