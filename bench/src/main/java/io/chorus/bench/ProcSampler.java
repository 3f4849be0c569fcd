package io.chorus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * CPU time and RSS of one process over a run, from /proc every half second: CPU seconds used during the
 * run (and so the average number of cores busy), RSS at the start, peak and end.
 */
final class ProcSampler {
  private final Vertx vertx;
  private final long pid;
  private final String label;
  private long timer = -1;
  private long startNanos;
  private ProcStats first;
  private ProcStats last;
  private long peakRssKb;

  ProcSampler(Vertx vertx, long pid, String label) {
    this.vertx = vertx;
    this.pid = pid;
    this.label = label;
  }

  synchronized void start() {
    startNanos = System.nanoTime();
    first = ProcStats.read(pid);
    last = first;
    peakRssKb = first == null ? -1 : first.rssKb();
    timer = vertx.setPeriodic(500, id -> sample());
  }

  private synchronized void sample() {
    ProcStats now = ProcStats.read(pid);
    if (now != null) {
      last = now;
      peakRssKb = Math.max(peakRssKb, now.rssKb());
    }
  }

  synchronized JsonObject finish() {
    vertx.cancelTimer(timer);
    sample();
    double wall = (System.nanoTime() - startNanos) / 1e9;
    JsonObject json = new JsonObject().put("pid", pid).put("label", label);
    if (first == null || last == null) {
      return json.put("available", false);
    }
    double cpu = last.cpuSeconds() - first.cpuSeconds();
    return json.put("available", true).put("wallSeconds", wall).put("cpuSeconds", cpu)
        .put("coresBusy", wall > 0 ? cpu / wall : 0).put("rssStartMb", first.rssKb() / 1024.0)
        .put("rssPeakMb", peakRssKb / 1024.0).put("rssEndMb", last.rssKb() / 1024.0);
  }

  static String summary(JsonObject json) {
    if (!json.getBoolean("available", false)) {
      return json.getString("label") + ": no /proc readings";
    }
    return String.format(Locale.ROOT, "%s (pid %d): CPU %.1f s in %.1f s (%.2f cores), RSS %.0f -> peak %.0f -> %.0f MB",
        json.getString("label"), json.getLong("pid"), json.getDouble("cpuSeconds"), json.getDouble("wallSeconds"),
        json.getDouble("coresBusy"), json.getDouble("rssStartMb"), json.getDouble("rssPeakMb"),
        json.getDouble("rssEndMb"));
  }
}
