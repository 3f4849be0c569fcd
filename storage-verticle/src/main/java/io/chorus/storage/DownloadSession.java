package io.chorus.storage;

import io.chorus.model.files.FileAddresses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * One download in progress on this storage node: a range of a stored file and what of it is still to send. Each
 * read answers the next chunk; the gateway asks for the next one only once the HTTP response can take it.
 */
final class DownloadSession {
  private final FileStore.StoredRange range;
  private final Runnable onClose;
  private long position;
  private long remaining;
  private boolean closed;

  /** {@code onClose} runs once, whichever way the download ends (done, failed, closed, idle). */
  DownloadSession(FileStore.StoredRange range, long offset, long length, Runnable onClose) {
    this.range = range;
    this.onClose = onClose;
    this.position = offset;
    this.remaining = length;
  }

  /** The next chunk: at most {@link FileAddresses#CHUNK_BYTES}, empty once everything was read. */
  Future<Buffer> read() {
    int n = (int) Math.min(FileAddresses.CHUNK_BYTES, remaining);
    if (n == 0) {
      return Future.succeededFuture(Buffer.buffer());
    }
    return range.read(n).map(chunk -> {
      if (chunk.length() == 0) {
        // The file is shorter than its row says: stop rather than loop on empty reads.
        throw new IllegalStateException("stored file ended early at " + position);
      }
      position += chunk.length();
      remaining -= chunk.length();
      return chunk;
    });
  }

  boolean done() {
    return remaining == 0;
  }

  /** Closes once; a failure to close is of no interest. */
  Future<Void> close() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
    return range.close();
  }
}
