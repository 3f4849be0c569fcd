package io.chorus.llm;

import io.chorus.model.Timers;
import java.util.function.Consumer;

/**
 * Paces chunks so a fast provider cannot flood sockets: the first delta after a quiet spell goes out at
 * once (a slow stream is never delayed), later deltas within {@code windowMs} are joined into one chunk
 * sent when the window closes. Order and text are kept exactly; {@link #flush()} sends what is waiting
 * before the stream's final event.
 *
 * <p>Confined to the stream's context; not thread-safe.
 */
final class ChunkCoalescer {
  private final long windowMs;
  private final Timers scheduler;
  private final Consumer<String> emit;
  private final StringBuilder waiting = new StringBuilder();
  private Runnable cancelWindow;

  ChunkCoalescer(long windowMs, Timers scheduler, Consumer<String> emit) {
    this.windowMs = windowMs;
    this.scheduler = scheduler;
    this.emit = emit;
  }

  void add(String delta) {
    if (windowMs <= 0) {
      emit.accept(delta);
    } else if (cancelWindow == null) {
      emit.accept(delta);
      openWindow();
    } else {
      waiting.append(delta);
    }
  }

  /** Sends what is waiting now and closes the window. */
  void flush() {
    if (cancelWindow != null) {
      cancelWindow.run();
      cancelWindow = null;
    }
    sendWaiting();
  }

  private void openWindow() {
    cancelWindow = scheduler.schedule(windowMs, () -> {
      cancelWindow = null;
      if (waiting.length() > 0) {
        sendWaiting();
        openWindow();
      }
    });
  }

  private void sendWaiting() {
    if (waiting.length() > 0) {
      String chunk = waiting.toString();
      waiting.setLength(0);
      emit.accept(chunk);
    }
  }
}
