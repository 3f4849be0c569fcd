package io.chorus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of a Linux process from {@code /proc/<pid>/stat} (user + system CPU time, in clock ticks)
 * and {@code /proc/<pid>/status} ({@code VmRSS}).
 */
public record ProcStats(long cpuTicks, long rssKb) {
  /** USER_HZ: 100 on every Linux the tool targets (the kernel ABI fixes it for /proc). */
  public static final long TICKS_PER_SECOND = 100;

  public static ProcStats read(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
      return new ProcStats(cpuTicks(stat), rssKb(status));
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * utime + stime: fields 14 and 15 of stat. The command name (field 2) is in parentheses and may hold
   * spaces and parentheses itself, so the fields are counted from the last ')'.
   */
  static long cpuTicks(String stat) {
    String[] rest = fieldsFrom3(stat);
    return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
  }

  /** Fields 3 onwards of a stat line: field n is at index n - 3. */
  private static String[] fieldsFrom3(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
  }

  /**
   * utime + stime + cutime + cstime (fields 14 to 17): the process's time with that of its children that ended,
   * for a server whose workers come and go (PostgreSQL's backends).
   */
  static long cpuTicksWithChildren(String stat) {
    String[] rest = fieldsFrom3(stat);
    return Long.parseLong(rest[11]) + Long.parseLong(rest[12]) + Long.parseLong(rest[13]) + Long.parseLong(rest[14]);
  }

  static long rssKb(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  public double cpuSeconds() {
    return cpuTicks / (double) TICKS_PER_SECOND;
  }
}
