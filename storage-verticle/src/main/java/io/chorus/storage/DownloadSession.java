package io.chorus.storage;

import io.chorus.model.files.FileAddresses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;

/**
 * One download in progress on this storage node: an open file and the part of it still to send. Each
 * read answers the next chunk; the gateway asks for the next one only once the HTTP response can take it.
 */
final class DownloadSession {
  private final AsyncFile file;
  private long position;
  private long remaining;
  private boolean closed;

  DownloadSession(AsyncFile file, long offset, long length) {
    this.file = file;
    this.position = offset;
    this.remaining = length;
  }

  /** The next chunk: at most {@link FileAddresses#CHUNK_BYTES}, empty once everything was read. */
  Future<Buffer> read() {
    int n = (int) Math.min(FileAddresses.CHUNK_BYTES, remaining);
    if (n == 0) {
      return Future.succeededFuture(Buffer.buffer());
    }
    return file.read(Buffer.buffer(n), 0, position, n).map(chunk -> {
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

  /** Closes once (AsyncFile throws on a second close); a failure to close is of no interest. */
  Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return file.close().recover(err -> Future.succeededFuture());
  }
}
