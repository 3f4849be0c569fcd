package io.chorus.storage;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the store's files that no {@code files} row records and no upload in progress will be stored as
 * ({@link FileRepository#unrecorded}): what a storage node that died between storing a file and recording it
 * left, and what a delete that failed (only logged) left. Only files written before a given time are judged,
 * the upload idle time ago at start-up, as a margin over what the upload rows already say.
 *
 * <p>Its work is bounded: at most {@code maxPages} pages of {@code pageSize} names from the store, beginning at
 * a point of the caller's choosing (a random file id at start-up) and going round past the last name to the
 * first; so a large bucket costs each start the same few requests, and successive starts cover it all.
 */
final class OrphanSweep {
  private static final Logger log = LoggerFactory.getLogger(OrphanSweep.class);
  /** S3's largest ListObjectsV2 page. */
  static final int PAGE_SIZE = 1_000;
  /** 10,000 names a start: ten list requests and ten queries. */
  static final int MAX_PAGES = 10;

  /** Stored files looked at, and deleted. */
  record Outcome(int examined, int deleted) {
    Outcome plus(int moreExamined, int moreDeleted) {
      return new Outcome(examined + moreExamined, deleted + moreDeleted);
    }
  }

  private final FileStore store;
  private final FileRepository repository;
  private final int pageSize;
  private final int maxPages;
  /** How long past its expiry an upload's row still protects its file ({@link FileRepository#unrecorded}). */
  private final long uploadGraceMs;

  OrphanSweep(FileStore store, FileRepository repository, int pageSize, int maxPages, long uploadGraceMs) {
    this.store = store;
    this.repository = repository;
    this.pageSize = pageSize;
    this.maxPages = maxPages;
    this.uploadGraceMs = uploadGraceMs;
  }

  /** Sweeps from a random file id onwards: what a storage node does as it starts, in the background. */
  Future<Outcome> atStart(long staleMs) {
    return run(UUID.randomUUID().toString(), Instant.now().minusMillis(staleMs))
        .onSuccess(outcome -> {
          if (outcome.deleted() > 0) {
            log.info("deleted {} stored files that no file row records (of {} looked at)", outcome.deleted(),
                outcome.examined());
          }
        })
        .onFailure(err -> log.warn("could not sweep stored files without a row: {}", err.toString()));
  }

  /**
   * Looks at the names after {@code from} to the last, then from the first up to {@code from}, within the
   * bound, and deletes the files written before {@code before} that nothing records.
   */
  Future<Outcome> run(String from, Instant before) {
    return page(from, from, false, before, maxPages, new Outcome(0, 0));
  }

  private Future<Outcome> page(String after, String from, boolean wrapped, Instant before, int pagesLeft,
      Outcome sofar) {
    if (pagesLeft == 0) {
      return Future.succeededFuture(sofar);
    }
    return store.list(after, pageSize).compose(page -> {
      // Past the starting point again: the first part of the way round was done first.
      boolean done = wrapped && (page.end() || page.last().compareTo(from) >= 0);
      List<FileStore.StoredFile> inRange = page.files().stream()
          .filter(file -> !wrapped || file.fileId().toString().compareTo(from) <= 0)
          .toList();
      List<UUID> candidates = inRange.stream()
          .filter(file -> file.written().isBefore(before))
          .map(FileStore.StoredFile::fileId)
          .toList();
      return repository.unrecorded(candidates, uploadGraceMs)
          .compose(orphans -> delete(orphans).map(v -> sofar.plus(inRange.size(), orphans.size())))
          .compose(outcome -> {
            if (done || (page.end() && from.isEmpty())) {
              return Future.succeededFuture(outcome);
            }
            return page.end()
                ? page("", from, true, before, pagesLeft - 1, outcome)
                : page(page.last(), from, wrapped, before, pagesLeft - 1, outcome);
          });
    });
  }

  /** {@link FileStore#delete} logs a failure and goes on: the next start's sweep tries again. */
  private Future<Void> delete(Set<UUID> orphans) {
    return Future.all(orphans.stream().map(store::delete).toList()).mapEmpty();
  }
}
