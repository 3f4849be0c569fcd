package io.chorus.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --pin-postgres}: puts the local PostgreSQL server (its postmaster and every backend; backends
 * forked later inherit the postmaster's CPU) on the server's CPU, so the server and its database share one
 * core as in the comparison, and gives it every CPU back when the run ends. Needs the right to
 * change those processes' affinity (root, or the user PostgreSQL runs as).
 */
final class PostgresPinning {
  private PostgresPinning() {}

  /** Pins every running postgres process to {@code cpu}; returns how many were pinned. */
  static int pin(int cpu) {
    return apply(Integer.toString(cpu));
  }

  /** Lets every postgres process run on every CPU again. */
  static void release() {
    apply("0-" + (Runtime.getRuntime().availableProcessors() - 1));
  }

  private static int apply(String cpuList) {
    int pinned = 0;
    for (long pid : postgresPids()) {
      if (taskset(cpuList, pid)) {
        pinned++;
      }
    }
    return pinned;
  }

  private static List<Long> postgresPids() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
        .map(ProcessHandle::pid).toList();
  }

  private static boolean taskset(String cpuList, long pid) {
    try {
      Process p = new ProcessBuilder("taskset", "-p", "-c", cpuList, Long.toString(pid)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
