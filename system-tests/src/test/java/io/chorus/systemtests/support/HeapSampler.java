package io.chorus.systemtests.support;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches this JVM's heap (every node of the harness runs in it) while a test runs. Two peaks: heap in
 * use, sampled every few milliseconds, which garbage not yet collected inflates; and the live heap, read
 * right after a full collection forced every {@link #LIVE_EVERY_MS}, which is what the code really holds
 * (buffered files would show there, garbage cannot).
 */
public final class HeapSampler implements AutoCloseable {
  private static final long MB = 1024 * 1024;
  private static final long LIVE_EVERY_MS = 500;
  private static final String EXPLICIT_GC = "System.gc()";

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakLive = new AtomicLong();
  private final List<Runnable> detach = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final long baseline;
  private volatile boolean running = true;

  private HeapSampler() {
    System.gc();
    this.baseline = memory.getHeapMemoryUsage().getUsed();
    NotificationListener listener = this::onGc;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        detach.add(() -> {
          try {
            emitter.removeNotificationListener(listener);
          } catch (Exception ignored) {
            // already removed
          }
        });
      }
    }
    every(5, () -> peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max), "heap-in-use");
    every(LIVE_EVERY_MS, System::gc, "heap-live");
  }

  public static HeapSampler start() {
    return new HeapSampler();
  }

  private void every(long ms, Runnable task, String name) {
    Thread thread = new Thread(() -> {
      while (running) {
        task.run();
        try {
          Thread.sleep(ms);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    threads.add(thread);
  }

  private void onGc(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    if (running && EXPLICIT_GC.equals(info.getGcCause())) {
      // The map covers every pool, Metaspace and code cache too: only the heap's count.
      long live = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
          .filter(pool -> heapPools.contains(pool.getKey())).mapToLong(pool -> pool.getValue().getUsed()).sum();
      peakLive.accumulateAndGet(live, Math::max);
    }
  }

  /** Highest heap in use above the baseline, garbage included. */
  public long peakUsedAboveBaseline() {
    return Math.max(0, peakUsed.get() - baseline);
  }

  /** Highest live heap (after a full collection) above the baseline: what the code held. */
  public long peakLiveAboveBaseline() {
    return Math.max(0, peakLive.get() - baseline);
  }

  public String report() {
    return String.format("heap baseline %d MB; peak in use %d MB (+%d MB, garbage included); "
            + "peak live %d MB (+%d MB, after full collections every %d ms); max heap %d MB",
        baseline / MB, peakUsed.get() / MB, peakUsedAboveBaseline() / MB, peakLive.get() / MB,
        peakLiveAboveBaseline() / MB, LIVE_EVERY_MS, memory.getHeapMemoryUsage().getMax() / MB);
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
    detach.forEach(Runnable::run);
  }
}
