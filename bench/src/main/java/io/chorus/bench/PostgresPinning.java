package io.chorus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code --pin-postgres}: puts the local PostgreSQL server (its postmaster and every backend; backends
 * forked later inherit the postmaster's CPU) on the server's CPU, so the server and its database share one
 * core as in the comparison, and gives each process its own CPUs back when the run ends. Needs
 * the right to change those processes' affinity (root, or the user PostgreSQL runs as).
 */
final class PostgresPinning {
  /** Each pinned process's CPU list before the run, as /proc gave it. */
  private static final Map<Long, String> original = new ConcurrentHashMap<>();

  private PostgresPinning() {}

  /** Pins every running postgres process to {@code cpu}; returns how many were pinned. */
  static int pin(int cpu) {
    int pinned = 0;
    for (long pid : postgresPids()) {
      String before = cpuList(pid);
      if (before != null && taskset(Integer.toString(cpu), pid)) {
        original.put(pid, before);
        pinned++;
      }
    }
    return pinned;
  }

  /**
   * Gives every postgres process its CPUs back: its own list from before the run, or, for a backend
   * forked during it, the list the server's processes had (not this tool's own view: it is pinned).
   */
  static void release() {
    String usual = original.values().stream().findFirst().orElse(null);
    if (usual == null) {
      return;
    }
    for (long pid : postgresPids()) {
      taskset(original.getOrDefault(pid, usual), pid);
    }
    original.clear();
  }

  private static String cpuList(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(line -> line.startsWith("Cpus_allowed_list:"))
          .map(line -> line.substring("Cpus_allowed_list:".length()).trim()).findFirst().orElse(null);
    } catch (java.io.IOException e) {
      return null; // gone meanwhile
    }
  }

  /** Every running postgres process (the postmaster and its backends). */
  static List<Long> postgresPids() {
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
