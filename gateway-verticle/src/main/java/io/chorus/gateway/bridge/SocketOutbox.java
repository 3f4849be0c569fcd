package io.chorus.gateway.bridge;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this gateway holds for one bridge socket, bounded ({@code SOCKET_QUEUE_BYTES}). Every frame the
 * gateway sends a socket (room events, replies, personal events) passes here; the bytes of a frame count from
 * its write until its write future completes, which is when the transport has handed it on: to the kernel for
 * a WebSocket (raw or SockJS), to the poll or stream response for SockJS's HTTP transports. So the count is
 * the socket's own write queue in bytes, whatever the transport, not a guess. The socket's
 * {@code writeQueueFull()} is not used: on the raw WebSocket it turns true as soon as 16 writes from another
 * thread (room events come from cluster threads) wait for the socket's event loop, whatever their size, and on
 * SockJS's transports it counts only the characters waiting for a poll, never what a stream or a WebSocket holds.
 *
 * <p>Before a frame would take the queue past the bound (a frame larger than the bound is let through when
 * nothing else waits, so a long reply still reaches a socket that keeps up): a frame that may be lost ({@link Kind#EPHEMERAL}:
 * typing, presence) is dropped once the queue holds half the bound, so room is left for what matters; any
 * other frame (a persisted event, an answer's chunk, a reply, a personal event) makes the socket slow: it
 * gets nothing more, and {@code onSlow} runs once (it tells the client and closes the socket). The client
 * recovers by reconnecting and reading history (docs/protocol.md, Reconnecting).
 *
 * <p>Written from any thread (room events come on cluster threads, replies on the edge): the counts are atomic.
 */
public final class SocketOutbox {
  /** What a frame is to the client, which decides what happens to it when the queue is full. */
  public enum Kind {
    /** Worth nothing late and never stored: typing and presence. Dropped first. */
    EPHEMERAL,
    /** Must arrive or the socket must go: persisted events, answer chunks, replies, personal events. */
    REQUIRED
  }

  /** The socket as far as the outbox needs it. */
  @FunctionalInterface
  public interface Transport {
    /** Completes once the transport has handed the frame on (or failed: the socket closed). */
    Future<Void> write(Buffer frame);
  }

  private final Transport transport;
  private final long boundBytes;
  private final Runnable onSlow;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final LongAdder dropped;
  private final AtomicBoolean slow = new AtomicBoolean();

  /** {@code dropped} counts the ephemeral frames dropped, shared by the sockets of a gateway (a metric). */
  public SocketOutbox(Transport transport, long boundBytes, LongAdder dropped, Runnable onSlow) {
    this.transport = transport;
    this.boundBytes = boundBytes;
    this.dropped = dropped;
    this.onSlow = onSlow;
  }

  /**
   * Writes {@code frame} unless the socket is slow, or the frame is ephemeral and the queue half full; a
   * required frame that would pass the bound makes the socket slow instead. True when the frame was written.
   */
  public boolean offer(Buffer frame, Kind kind) {
    if (slow.get()) {
      return false;
    }
    int size = frame.length();
    long queued = queuedBytes.get();
    // A frame larger than the bound (a long history page) still goes to a socket that has nothing waiting.
    boolean backlog = queued > 0;
    if (kind == Kind.EPHEMERAL) {
      if (backlog && queued + size > boundBytes / 2) {
        dropped.increment();
        return false;
      }
    } else if (backlog && queued + size > boundBytes) {
      if (slow.compareAndSet(false, true)) {
        onSlow.run();
      }
      return false;
    }
    queuedBytes.addAndGet(size);
    transport.write(frame).onComplete(ar -> queuedBytes.addAndGet(-size));
    return true;
  }

  /** Bytes written to the socket and not yet handed on by its transport. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  /** True once a required frame found the queue full: the socket gets nothing more. */
  public boolean isSlow() {
    return slow.get();
  }
}
