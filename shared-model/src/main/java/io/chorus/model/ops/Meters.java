package io.chorus.model.ops;

import io.chorus.model.ChorusException;
import io.chorus.model.Futures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Small helpers for the services' own meters, named {@code chorus.*} (Prometheus: {@code chorus_*}). */
public final class Meters {
  private Meters() {}

  /**
   * {@code handler}, timed: a timer {@code name} with the tag {@code outcome} = {@code ok} or the
   * contract code it failed with, so a rate of 503s or 429s shows next to the latency of what worked.
   */
  public static <Q, R> Function<Q, Future<R>> timed(MeterRegistry meters, String name, String description,
      Function<Q, Future<R>> handler) {
    // One timer per outcome, built once: registering looks the meter up by name and tags and checks for a
    // double registration, which on every request cost more than the timing itself (the send path's profile).
    Map<String, Timer> byOutcome = new ConcurrentHashMap<>();
    Timer ok = timer(meters, name, description, "ok"); // shown from the start, before the first request
    return request -> {
      Timer.Sample sample = Timer.start(meters);
      return Futures.attempt(handler, request).onComplete(ar -> sample.stop(ar.succeeded() ? ok
          : byOutcome.computeIfAbsent(outcome(ar.cause()), code -> timer(meters, name, description, code))));
    };
  }

  private static Timer timer(MeterRegistry meters, String name, String description, String outcome) {
    return Timer.builder(name).description(description).tag("outcome", outcome).publishPercentileHistogram()
        .register(meters);
  }

  private static String outcome(Throwable failure) {
    return failure instanceof ChorusException ce ? String.valueOf(ce.code().code()) : "500";
  }
}
