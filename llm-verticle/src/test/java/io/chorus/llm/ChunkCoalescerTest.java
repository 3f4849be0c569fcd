package io.chorus.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCoalescerTest {
  private final List<String> sent = new ArrayList<>();
  private final List<Runnable> windows = new ArrayList<>();
  private final ChunkCoalescer coalescer = new ChunkCoalescer(30, (delay, task) -> {
    windows.add(task);
    return () -> windows.remove(task);
  }, sent::add);

  private void closeWindow() {
    Runnable window = windows.remove(0);
    window.run();
  }

  @Test
  void theFirstDeltaIsNeverDelayed() {
    coalescer.add("Hel");
    assertThat(sent).containsExactly("Hel");
  }

  @Test
  void deltasWithinAWindowBecomeOneChunkInOrder() {
    coalescer.add("a");
    coalescer.add("b");
    coalescer.add("c");
    assertThat(sent).containsExactly("a");

    closeWindow();
    assertThat(sent).containsExactly("a", "bc");
    coalescer.add("d");
    closeWindow();
    assertThat(sent).containsExactly("a", "bc", "d");
  }

  @Test
  void aQuietWindowClosesSoTheNextDeltaGoesOutAtOnce() {
    coalescer.add("slow");
    closeWindow();
    assertThat(windows).isEmpty();

    coalescer.add(" tokens");
    assertThat(sent).containsExactly("slow", " tokens");
  }

  @Test
  void flushSendsWhatIsWaitingAndLosesNothing() {
    coalescer.add("x");
    coalescer.add("y");
    coalescer.add("z");
    coalescer.flush();

    assertThat(String.join("", sent)).isEqualTo("xyz");
    assertThat(windows).isEmpty();
  }

  @Test
  void aZeroWindowSendsEveryDelta() {
    ChunkCoalescer off = new ChunkCoalescer(0, (d, t) -> () -> { }, sent::add);
    off.add("a");
    off.add("b");
    assertThat(sent).containsExactly("a", "b");
  }
}
