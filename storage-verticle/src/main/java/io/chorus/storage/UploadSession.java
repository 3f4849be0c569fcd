package io.chorus.storage;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One upload in progress on this storage node: its temp file, and the size, SHA-256 and first bytes
 * computed as the chunks go by, so the file is never read back or held whole. Chunks arrive one at a
 * time (the gateway waits for each reply), in order.
 */
final class UploadSession {
  /** What the finished bytes turned out to be. */
  record Finished(Path temp, long size, String sha256, String contentType) {}

  final String id;
  final UUID conversationId;
  final UUID userId;
  final Path temp;
  private final AsyncFile file;
  private final long maxBytes;
  /** What the user's stored files took when the upload began, and what they may take: a first check. */
  private final long storedBytes;
  private final long quotaBytes;
  private final MessageDigest digest;
  private final byte[] head = new byte[ContentSniffer.HEAD_BYTES];
  private int headLength;
  private long size;
  private boolean closed;

  UploadSession(String id, UUID conversationId, UUID userId, Path temp, AsyncFile file, long maxBytes,
      long storedBytes, long quotaBytes) {
    this.id = id;
    this.conversationId = conversationId;
    this.userId = userId;
    this.temp = temp;
    this.file = file;
    this.maxBytes = maxBytes;
    this.storedBytes = storedBytes;
    this.quotaBytes = quotaBytes;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Appends a chunk; 413 once the upload would exceed the size limit or, with the files the user had
   * stored when it began, their quota (the caller then discards it). The quota's last word is the
   * commit's, which counts uploads that finished meanwhile.
   */
  Future<Void> write(Buffer chunk) {
    if (size + chunk.length() > maxBytes) {
      return Future.failedFuture(
          new ChorusException(ErrorCode.TOO_LARGE, "file is larger than " + maxBytes + " bytes"));
    }
    if (storedBytes + size + chunk.length() > quotaBytes) {
      return Future.failedFuture(FileRepository.quotaExceeded(storedBytes, quotaBytes));
    }
    byte[] bytes = chunk.getBytes();
    digest.update(bytes);
    int toHead = Math.min(bytes.length, head.length - headLength);
    System.arraycopy(bytes, 0, head, headLength, toHead);
    headLength += toHead;
    size += bytes.length;
    return file.write(chunk);
  }

  long size() {
    return size;
  }

  /** Closes the temp file (flushing it) and says what it holds. */
  Future<Finished> finish() {
    return close().map(v -> new Finished(temp, size, HexFormat.of().formatHex(digest.digest()),
        ContentSniffer.sniff(head, headLength, size > headLength)));
  }

  /** Closes and deletes the temp file, whatever state the upload was in. */
  Future<Void> discard(FileStore store) {
    return close().recover(err -> Future.succeededFuture()).compose(v -> store.delete(temp));
  }

  /** Closes once: AsyncFile throws, rather than fails, on a second close. */
  private Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return file.close();
  }
}
