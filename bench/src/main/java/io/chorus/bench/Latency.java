package io.chorus.bench;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution in microseconds (HdrHistogram, 3 significant digits, up to an hour), safe to
 * record from several event loops; reported in milliseconds.
 */
public final class Latency {
  private final Histogram histogram = new ConcurrentHistogram(TimeUnit.HOURS.toMicros(1), 3);

  public void recordNanos(long nanos) {
    long micros = Math.max(0, nanos / 1_000);
    histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
  }

  public long count() {
    return histogram.getTotalCount();
  }

  public double percentileMs(double percentile) {
    return count() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  public double maxMs() {
    return count() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
  }

  public JsonObject toJson() {
    return new JsonObject().put("count", count()).put("p50Ms", percentileMs(50)).put("p90Ms", percentileMs(90))
        .put("p99Ms", percentileMs(99)).put("p999Ms", percentileMs(99.9)).put("maxMs", maxMs());
  }

  /** {@code p50 1.2  p90 3.4  p99 5.6  p999 7.8  max 9.0 ms (n=123)}. */
  public String summary() {
    if (count() == 0) {
      return "no samples";
    }
    return String.format(Locale.ROOT, "p50 %.2f  p90 %.2f  p99 %.2f  p999 %.2f  max %.2f ms (n=%d)", percentileMs(50),
        percentileMs(90), percentileMs(99), percentileMs(99.9), maxMs(), count());
  }
}
