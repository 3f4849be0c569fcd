package io.chorus.storage;

import static io.chorus.storage.StorageErrors.uuid;

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
import java.util.UUID;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uploads this storage verticle holds: {@code storage.file.begin} opens one after checking
 * membership; chunks, commit and abort arrive on the verticle's transfer address. Commit moves the temp
 * file into place, records the file with its message (next seq) and publishes {@code file_uploaded} on
 * {@code conv.<id>.events}. Whatever fails or is abandoned on the way (an error, an abort, a gateway that
 * goes quiet for the idle timeout) leaves no row and no file.
 */
final class FileUploads {
  private static final Logger log = LoggerFactory.getLogger(FileUploads.class);
  private static final String COMMIT = "storage.file.commit";

  private final FileStore store;
  private final FileRepository repository;
  private final long maxBytes;
  private final String address;
  private final BiConsumer<String, JsonObject> publish;
  private final TransferSessions<UploadSession> sessions;

  FileUploads(Vertx vertx, FileStore store, FileRepository repository, StorageConfig config, String address,
      BiConsumer<String, JsonObject> publish) {
    this.store = store;
    this.repository = repository;
    this.maxBytes = config.maxUploadBytes();
    this.address = address;
    this.publish = publish;
    this.sessions = new TransferSessions<>(vertx, config.fileIdleMs(), session -> {
      log.info("upload {} heard nothing for {} ms: dropped", session.id, config.fileIdleMs());
      session.discard(store);
    });
  }

  Future<UploadTicket> begin(BeginUpload request) {
    return StorageErrors.guard(FileAddresses.STORAGE_FILE_BEGIN.address(), () -> {
      UUID conversationId = uuid(request.conversationId(), "conversationId");
      UUID userId = uuid(request.userId(), "userId");
      String id = TransferSessions.newId();
      return repository.requireMember(conversationId, userId)
          .compose(v -> store.createTemp(id))
          .map(file -> {
            sessions.add(id, new UploadSession(id, conversationId, userId, store.tempPath(id), file, maxBytes));
            return new UploadTicket(id, address);
          });
    });
  }

  /** Writes one chunk; a failure (413 over the limit, a disk error) ends the upload and deletes it. */
  Future<Void> chunk(String id, Buffer data) {
    return StorageErrors.guard(address, () -> {
      UploadSession session = sessions.touch(id);
      return session.write(data).recover(err -> {
        sessions.remove(id);
        return session.discard(store).compose(v -> Future.failedFuture(err));
      });
    });
  }

  Future<UploadResult> commit(String id, CommitUpload request) {
    return StorageErrors.guard(COMMIT, () -> {
      // Out of the registry first: no expiry and no second commit while this one runs.
      UploadSession session = sessions.remove(id);
      if (session == null) {
        throw ChorusException.notFound("no such upload (it may have expired)");
      }
      UUID fileId = UUID.randomUUID();
      String filename = FilenameSanitizer.sanitize(request.filename());
      return session.finish()
          .compose(done -> store.promote(done.temp(), fileId).compose(path -> repository.store(
                  new FileRepository.NewFile(fileId, session.conversationId, session.userId, filename,
                      done.contentType(), done.size(), done.sha256()), request.text())
              // No row, so no file: the stored bytes go too.
              .recover(err -> store.delete(path).compose(v -> Future.failedFuture(err)))))
          .recover(err -> session.discard(store).compose(v -> Future.failedFuture(err)))
          .map(message -> announce(message, fileId));
    });
  }

  /** Drops an upload the gateway gave up on (client gone, over the limit); unknown ids are fine. */
  Future<Void> abort(String id) {
    UploadSession session = sessions.remove(id);
    return session == null ? Future.succeededFuture() : session.discard(store);
  }

  int active() {
    return sessions.size();
  }

  private UploadResult announce(StoredMessage message, UUID fileId) {
    publish.accept(Addresses.conversationEvents(message.conversationId()), message.toEvent());
    log.debug("file {} stored in {} as seq {}", fileId, message.conversationId(), message.seq());
    return new UploadResult(fileId.toString(), message.messageId(), message.seq(), message.file().url());
  }
}
