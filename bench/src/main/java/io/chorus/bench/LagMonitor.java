package io.chorus.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Watches every event loop of the load tool: one {@link LagTracker} timer per loop, every
 * {@link #INTERVAL_MS}. Start one per measured run.
 */
public final class LagMonitor {
  static final long INTERVAL_MS = 10;

  private final Vertx vertx;
  private final List<LagTracker> trackers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private final List<Context> contexts = new ArrayList<>();

  LagMonitor(Vertx vertx, EventLoops loops) {
    this.vertx = vertx;
    contexts.addAll(loops.all());
  }

  /** Starts measuring afresh: what earlier starts measured is dropped. */
  void start() {
    synchronized (this) {
      stop();
      trackers.clear();
    }
    for (Context context : contexts) {
      LagTracker tracker = new LagTracker(INTERVAL_MS * 1_000_000);
      synchronized (this) {
        trackers.add(tracker);
      }
      context.runOnContext(v -> {
        tracker.tick(System.nanoTime());
        long id = vertx.setPeriodic(INTERVAL_MS, t -> tracker.tick(System.nanoTime()));
        synchronized (this) {
          timers.add(id);
        }
      });
    }
  }

  synchronized void stop() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }

  synchronized boolean lagged() {
    return trackers.stream().anyMatch(LagTracker::lagged);
  }

  synchronized double maxMs() {
    return trackers.stream().mapToDouble(t -> t.lag().maxMs()).max().orElse(0);
  }

  synchronized double p99Ms() {
    return trackers.stream().mapToDouble(t -> t.lag().percentileMs(99)).max().orElse(0);
  }

  /** Ends the run's measurement: forgets the trackers after reading them. */
  synchronized JsonObject finish() {
    stop();
    JsonObject json = new JsonObject().put("maxMs", maxMs()).put("p99Ms", p99Ms()).put("limitMs", LagTracker.LIMIT_MS)
        .put("lagged", lagged());
    trackers.clear();
    return json;
  }

  static String verdict(JsonObject lag) {
    if (lag.getBoolean("lagged")) {
      return String.format(Locale.ROOT, "load tool lagged %.1f ms: results invalid", lag.getDouble("maxMs"));
    }
    return String.format(Locale.ROOT, "load tool event-loop lag max %.1f ms, p99 %.1f ms: ok",
        lag.getDouble("maxMs"), lag.getDouble("p99Ms"));
  }
}
