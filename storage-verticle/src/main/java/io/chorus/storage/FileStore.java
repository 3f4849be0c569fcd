package io.chorus.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where uploaded bytes live: {@link LocalFileStore} ({@code FILE_STORE=local}, a folder every storage
 * node shares) or {@link S3FileStore} ({@code FILE_STORE=s3}, a bucket, so storage nodes share nothing
 * local). A stored file is named by its generated id only, so nothing a client sends ever becomes part of
 * a path or key; an upload becomes that file only when {@link PendingFile#commit} succeeds.
 */
interface FileStore {
  /**
   * Makes the store ready (creates folders, checks the bucket) and removes what uploads cut off by a crash
   * left behind once nobody has written to it for {@code staleMs}; younger ones may belong to another node.
   */
  Future<Void> prepare(long staleMs);

  /** Starts receiving the bytes of an upload that, once committed, is stored as {@code fileId}. */
  Future<PendingFile> begin(String uploadId, UUID fileId);

  /** The bytes {@code offset} to {@code offset + length} of a stored file, read in order. */
  Future<StoredRange> open(UUID fileId, long offset, long length);

  /** Deletes a stored file if it is there; a failure is logged, never passed on: clean-up is best effort. */
  Future<Void> delete(UUID fileId);

  /**
   * Up to {@code max} of the store's entries whose names sort after {@code after} ({@code ""}: from the first), in
   * name order, with the stored files among them (entries not named by a file id are passed over). For
   * {@link OrphanSweep}.
   */
  Future<StoredPage> list(String after, int max);

  /** The file id a name is, or null: only a file id exactly as a store writes it ({@code UUID.fromString} is lax). */
  static UUID fileIdOrNull(String name) {
    if (name.length() != 36) {
      return null;
    }
    try {
      UUID id = UUID.fromString(name);
      return id.toString().equals(name) ? id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A stored file's id and when its bytes were written. */
  record StoredFile(UUID fileId, Instant written) {}

  /**
   * A page of {@link #list}: its stored files, the name of its last entry (where the next page starts) and
   * whether it is the last page.
   */
  record StoredPage(List<StoredFile> files, String last, boolean end) {}

  /** Releases connections and threads; the store is not used afterwards. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /**
   * An upload's bytes on their way into the store. Calls come one at a time from the verticle's event
   * loop: the next {@link #write} only after the previous one completed.
   */
  interface PendingFile {
    Future<Void> write(Buffer chunk);

    /**
     * Stores what was written as the file; afterwards {@link #discard} does nothing. A failed commit may
     * have stored the file all the same (its reply lost): a discard after it removes the file too.
     */
    Future<Void> commit();

    /** Removes whatever was written, whatever state the upload is in; never fails. */
    Future<Void> discard();
  }

  /** A byte range of a stored file being read. */
  interface StoredRange {
    /** The next bytes, at most {@code max}; empty only at the end of the file. */
    Future<Buffer> read(int max);

    /** Closes once; later calls and failures to close are of no interest. */
    Future<Void> close();
  }
}
