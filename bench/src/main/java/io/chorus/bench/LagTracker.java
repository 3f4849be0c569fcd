package io.chorus.bench;

/**
 * The load tool's own event-loop lag: a timer asks to run every {@code intervalNanos}; how much later
 * than that it actually runs is time the loop was busy (or the process starved of CPU). A load tool that
 * lags sends late and reads late, so its latencies would blame the server for its own delay: past
 * {@link #LIMIT_MS} the results are reported invalid.
 */
public final class LagTracker {
  /** Lag above this makes a run's latencies untrustworthy. */
  public static final double LIMIT_MS = 50;

  private final long intervalNanos;
  private final Latency lag = new Latency();
  private long lastNanos = -1;

  public LagTracker(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** The timer fired at {@code nowNanos}. */
  public void tick(long nowNanos) {
    if (lastNanos >= 0) {
      lag.recordNanos(Math.max(0, nowNanos - lastNanos - intervalNanos));
    }
    lastNanos = nowNanos;
  }

  public Latency lag() {
    return lag;
  }

  public boolean lagged() {
    return lag.maxMs() > LIMIT_MS;
  }
}
