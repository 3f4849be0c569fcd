package io.chorus.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The Java heap in use by another JVM of the same user, after a full GC, with the JDK's own tools
 * ({@code jcmd <pid> GC.run}, then {@code jstat -gc <pid>}): what survives a collection is what the
 * connections really hold.
 */
final class HeapProbe {
  private HeapProbe() {}

  /** Live heap in KB, or -1 when the tools are missing or the process is not a reachable JVM. */
  static long liveHeapKb(long pid) {
    run("jcmd", Long.toString(pid), "GC.run");
    String out = run("jstat", "-gc", Long.toString(pid));
    return out == null ? -1 : parseJstatUsedKb(out);
  }

  /** Sum of the used columns of the young and old generations (S0U, S1U, EU, OU) of {@code jstat -gc}. */
  static long parseJstatUsedKb(String jstat) {
    String[] lines = jstat.trim().split("\n");
    if (lines.length < 2) {
      return -1;
    }
    String[] header = lines[0].trim().split("\\s+");
    String[] values = lines[lines.length - 1].trim().split("\\s+");
    double used = 0;
    boolean any = false;
    for (int i = 0; i < header.length && i < values.length; i++) {
      if (header[i].equals("S0U") || header[i].equals("S1U") || header[i].equals("EU") || header[i].equals("OU")) {
        try {
          used += Double.parseDouble(values[i]);
          any = true;
        } catch (NumberFormatException e) {
          // "-" for a generation the collector does not have
        }
      }
    }
    return any ? Math.round(used) : -1;
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
