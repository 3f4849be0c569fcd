package io.chorus.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU the local PostgreSQL server used during a run: every postgres process's user and system time, with
 * their children's (a backend that ends during the run has its time counted in its parent's), at the start
 * and at the end. Where the server and PostgreSQL share a core ({@code --pin-postgres}), the two together say
 * how much of that core was left.
 */
final class PostgresCpu {
  private final long startTicks;
  private final long startNanos;

  private PostgresCpu(long startTicks) {
    this.startTicks = startTicks;
    this.startNanos = System.nanoTime();
  }

  /** Starts counting, or null when no postgres process runs on this machine (or none can be read). */
  static PostgresCpu startIfLocal() {
    long ticks = ticks();
    return ticks < 0 ? null : new PostgresCpu(ticks);
  }

  JsonObject finish() {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    long end = ticks();
    double cpu = Math.max(0, end - startTicks) / (double) ProcStats.TICKS_PER_SECOND;
    return new JsonObject().put("processes", PostgresPinning.postgresPids().size()).put("wallSeconds", wall)
        .put("cpuSeconds", cpu).put("coresBusy", wall > 0 ? cpu / wall : 0);
  }

  static String summary(JsonObject json) {
    return String.format("PostgreSQL (%d local processes): CPU %.1f s in %.1f s (%.2f cores)",
        json.getInteger("processes"), json.getDouble("cpuSeconds"), json.getDouble("wallSeconds"),
        json.getDouble("coresBusy"));
  }

  /** utime + stime + cutime + cstime over every postgres process; -1 when there is none. */
  private static long ticks() {
    List<Long> pids = PostgresPinning.postgresPids();
    long total = 0;
    int read = 0;
    for (long pid : pids) {
      try {
        total += ProcStats.cpuTicksWithChildren(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        read++;
      } catch (IOException | RuntimeException e) {
        // gone meanwhile
      }
    }
    return read == 0 ? -1 : total;
  }
}
