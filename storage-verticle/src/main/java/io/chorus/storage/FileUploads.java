package io.chorus.storage;

import static io.chorus.model.Ids.uuid;

import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.files.BeginUpload;
import io.chorus.model.files.CommitUpload;
import io.chorus.model.files.FileAddresses;
import io.chorus.model.files.UploadResult;
import io.chorus.model.files.UploadTicket;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uploads this storage verticle holds: {@code storage.file.begin} opens one after checking
 * membership and the user's limits (uploads in progress, stored bytes: see {@link FileRepository});
 * chunks, commit and abort arrive on the verticle's transfer address. Commit stores the bytes in the
 * {@link FileStore} (a rename, or the bucket's multipart upload completed), records the file with its
 * message (next seq), deleting the bytes again when that fails, and publishes {@code file_uploaded} on
 * {@code conv.<id>.events}. Whatever fails or is abandoned on the way (an error, an abort, a gateway that
 * goes quiet for the idle timeout) leaves no row and no file (no temp file, no multipart upload), and no
 * longer counts as in progress.
 */
final class FileUploads {
  private static final Logger log = LoggerFactory.getLogger(FileUploads.class);
  private static final String COMMIT = "storage.file.commit";

  private final Vertx vertx;
  private final FileStore store;
  private final FileRepository repository;
  private final long maxBytes;
  private final long idleMs;
  private final int maxConcurrent;
  private final long quotaBytes;
  private final String address;
  private final BiConsumer<String, JsonObject> publish;
  private final TransferSessions<UploadSession> sessions;
  private long renewTimer = -1;

  FileUploads(Vertx vertx, FileStore store, FileRepository repository, StorageConfig config, String address,
      BiConsumer<String, JsonObject> publish) {
    this.vertx = vertx;
    this.store = store;
    this.repository = repository;
    this.maxBytes = config.maxUploadBytes();
    this.idleMs = config.fileIdleMs();
    this.maxConcurrent = config.maxConcurrentUploads();
    this.quotaBytes = config.userQuotaBytes();
    this.address = address;
    this.publish = publish;
    this.sessions = new TransferSessions<>(vertx, idleMs, session -> {
      log.info("upload {} heard nothing for {} ms: dropped", session.id, idleMs);
      end(session);
    });
  }

  Future<UploadTicket> begin(BeginUpload request) {
    return StorageErrors.guard(FileAddresses.STORAGE_FILE_BEGIN.address(), () -> {
      UUID conversationId = uuid(request.conversationId(), "conversationId");
      UUID userId = uuid(request.userId(), "userId");
      String id = TransferSessions.newId();
      UUID uploadId = uploadId(id);
      // Named now: an object store fixes an upload's key when it starts.
      UUID fileId = UUID.randomUUID();
      return repository.requireMember(conversationId, userId)
          .compose(v -> repository.startUpload(uploadId, fileId, userId, maxConcurrent, quotaBytes, rowTtlMs()))
          .compose(stored -> store.begin(id, fileId)
              .recover(err -> forget(uploadId).compose(v -> Future.failedFuture(err)))
              .map(file -> {
                sessions.add(id, new UploadSession(id, conversationId, userId, fileId, file, maxBytes,
                    stored, quotaBytes));
                renewWhileUploading();
                return new UploadTicket(id, address, idleMs);
              }));
    });
  }

  /**
   * Writes one chunk; an empty one only keeps the upload alive. A failure (413 over a limit, a disk
   * error) ends the upload and deletes it.
   */
  Future<Void> chunk(String id, Buffer data) {
    return StorageErrors.guard(address, () -> {
      if (data.length() == 0) {
        if (sessions.touchIfPresent(id) == null) {
          throw gone();
        }
        return Future.succeededFuture();
      }
      // A write may take a while (a part sent to a bucket): the idle time counts from its end.
      UploadSession session = sessions.holdIfPresent(id);
      if (session == null) {
        throw gone();
      }
      return session.write(data)
          .onSuccess(v -> sessions.touchIfPresent(id))
          .recover(err -> {
            sessions.remove(id);
            return end(session).compose(v -> Future.failedFuture(err));
          });
    });
  }

  Future<UploadResult> commit(String id, CommitUpload request) {
    return StorageErrors.guard(COMMIT, () -> {
      // Out of the registry first: no expiry and no second commit while this one runs.
      UploadSession session = sessions.remove(id);
      if (session == null) {
        throw gone();
      }
      UUID fileId = session.fileId;
      String filename = FilenameSanitizer.sanitize(request.filename());
      return session.finish()
          .compose(done -> repository.store(
                  new FileRepository.NewFile(fileId, session.conversationId, session.userId, filename,
                      done.contentType(), done.size(), done.sha256()), request.text(), uploadId(session.id),
                  quotaBytes)
              // No row, so no file: the stored bytes go too.
              .recover(err -> store.delete(fileId).compose(v -> Future.failedFuture(err))))
          .recover(err -> end(session).compose(v -> Future.failedFuture(err)))
          .map(message -> announce(message, fileId));
    });
  }

  /** Drops an upload the gateway gave up on (client gone, over the limit); unknown ids are fine. */
  Future<Void> abort(String id) {
    UploadSession session = sessions.remove(id);
    return session == null ? Future.succeededFuture() : end(session);
  }

  int active() {
    return sessions.size();
  }

  /**
   * The upload is not here: its gateway was silent for the whole idle time (it keeps a live upload
   * going with chunks, empty ones if need be), the upload failed already, or this node restarted.
   * Sending it again is the way on.
   */
  private ChorusException gone() {
    return ChorusException.unavailable("upload expired: storage heard nothing of it for " + idleMs
        + " ms, or lost it; send the file again");
  }

  /** Deletes what an upload that ends without a file left behind, and stops counting it. */
  private Future<Void> end(UploadSession session) {
    return session.discard().compose(v -> forget(uploadId(session.id)));
  }

  /**
   * The upload's row id: its session id, which this node made ({@link TransferSessions#newId}) and never takes
   * from a caller (a caller's id only looks a session up), so it is read as it is, not through {@code Ids}.
   */
  private static UUID uploadId(String sessionId) {
    return UUID.fromString(sessionId);
  }

  /** Best effort: a row left behind stops counting when it expires. */
  private Future<Void> forget(UUID uploadId) {
    return repository.endUpload(uploadId).recover(err -> {
      log.warn("upload {} still counts as in progress until it expires: {}", uploadId, err.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * An upload's row lives twice the idle time and is renewed every half of it, so it outlives the
   * upload here, and the row of a node that died stops counting soon.
   */
  private long rowTtlMs() {
    return 2 * idleMs;
  }

  private void renewWhileUploading() {
    if (renewTimer >= 0) {
      return;
    }
    // Set from the verticle's event loop (begin runs there), so it runs there and goes with the verticle.
    renewTimer = vertx.setPeriodic(Math.max(1, idleMs / 2), t -> {
      List<UUID> live = sessions.ids().stream().map(FileUploads::uploadId).toList();
      if (!live.isEmpty()) {
        repository.renewUploads(live, rowTtlMs())
            .onFailure(err -> log.warn("could not renew {} uploads in progress: {}", live.size(), err.toString()));
      }
    });
  }

  private UploadResult announce(StoredMessage message, UUID fileId) {
    publish.accept(Addresses.conversationEvents(message.conversationId()), message.toEvent());
    log.debug("file {} stored in {} as seq {}", fileId, message.conversationId(), message.seq());
    return new UploadResult(fileId.toString(), message.messageId(), message.seq(), message.file().url());
  }
}
