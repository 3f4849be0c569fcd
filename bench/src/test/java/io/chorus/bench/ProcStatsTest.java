package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatsTest {
  @Test
  void cpuTicksAreUtimePlusStimeCountedFromTheLastParenthesis() {
    // A command name with a space and a ')' must not shift the fields.
    String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 100 0 0";
    assertThat(ProcStats.cpuTicks(stat)).isEqualTo(300);
  }

  @Test
  void cpuTicksWithChildrenAddTheTimeOfChildrenThatEnded() {
    String stat = "99 (postgres) S 1 99 99 0 -1 4194560 100 0 0 0 250 50 700 25 20 0 1 0 100 0 0";
    assertThat(ProcStats.cpuTicks(stat)).isEqualTo(300);
    assertThat(ProcStats.cpuTicksWithChildren(stat)).isEqualTo(1_025);
  }

  @Test
  void rssComesFromVmRss() {
    String status = "Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  245760 kB\nThreads:\t40\n";
    assertThat(ProcStats.rssKb(status)).isEqualTo(245_760);
  }

  @Test
  void readsThisProcess() {
    ProcStats self = ProcStats.read(ProcessHandle.current().pid());
    assertThat(self).isNotNull();
    assertThat(self.rssKb()).isPositive();
  }

  @Test
  void liveHeapIsTheSumOfTheUsedColumns() {
    String jstat = """
         S0C         S1C         S0U         S1U          EC           EU           OC           OU          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT
            0.0         0.0         0.0       100.5      8192.0       1024.0     16384.0      2048.5    40000.0    39000.0    5000.0    4500.0      3     0.010     1     0.020     0     0.000     0.030
        """;
    assertThat(HeapProbe.parseJstatUsedKb(jstat)).isEqualTo(3173);
  }
}
