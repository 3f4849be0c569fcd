package io.chorus.storage;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One upload in progress on this storage node: the file id it will be stored as, its bytes on their way
 * into the {@link FileStore}, and the size, SHA-256 and first bytes computed as the chunks go by, so the
 * file is never read back or held whole. Chunks arrive one at a time (the gateway waits for each reply),
 * in order.
 */
final class UploadSession {
  /** What the finished bytes turned out to be. */
  record Finished(long size, String sha256, String contentType) {}

  final String id;
  final UUID conversationId;
  final UUID userId;
  final UUID fileId;
  private final FileStore.PendingFile file;
  private final long maxBytes;
  /** What the user's stored files took when the upload began, and what they may take: a first check. */
  private final long storedBytes;
  private final long quotaBytes;
  private final MessageDigest digest;
  private final byte[] head = new byte[ContentSniffer.HEAD_BYTES];
  private int headLength;
  private long size;

  UploadSession(String id, UUID conversationId, UUID userId, UUID fileId, FileStore.PendingFile file,
      long maxBytes, long storedBytes, long quotaBytes) {
    this.id = id;
    this.conversationId = conversationId;
    this.userId = userId;
    this.fileId = fileId;
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

  /** Stores the bytes as {@link #fileId} and says what they are. */
  Future<Finished> finish() {
    return file.commit().map(v -> new Finished(size, HexFormat.of().formatHex(digest.digest()),
        ContentSniffer.sniff(head, headLength, size > headLength)));
  }

  /** Removes what was written, whatever state the upload was in (nothing once it is stored). */
  Future<Void> discard() {
    return file.discard();
  }
}
