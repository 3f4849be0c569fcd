package io.chorus.storage;

import static io.chorus.model.Ids.uuid;

import io.chorus.model.ChorusException;
import io.chorus.model.files.DownloadTicket;
import io.chorus.model.files.FileAddresses;
import io.chorus.model.files.FileInfo;
import io.chorus.model.files.FileRef;
import io.chorus.model.files.OpenDownload;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * The downloads this storage verticle serves: {@code storage.file.get} (metadata for a member),
 * {@code storage.file.open} (a byte range, opened for reading) and then {@code read}/{@code close} on the
 * verticle's transfer address. A download whose gateway goes quiet for the idle timeout is closed.
 */
final class FileDownloads {
  private final FileStore store;
  private final FileRepository repository;
  private final String address;
  private final TransferSessions<DownloadSession> sessions;

  FileDownloads(Vertx vertx, FileStore store, FileRepository repository, StorageConfig config, String address) {
    this.store = store;
    this.repository = repository;
    this.address = address;
    this.sessions = new TransferSessions<>(vertx, config.fileIdleMs(), DownloadSession::close);
  }

  Future<FileInfo> get(FileRef request) {
    return StorageErrors.guard(FileAddresses.STORAGE_FILE_GET.address(), () ->
        repository.find(uuid(request.fileId(), "fileId"), uuid(request.userId(), "userId")));
  }

  Future<DownloadTicket> open(OpenDownload request) {
    return StorageErrors.guard(FileAddresses.STORAGE_FILE_OPEN.address(), () -> {
      UUID fileId = uuid(request.fileId(), "fileId");
      return repository.find(fileId, uuid(request.userId(), "userId")).compose(info -> {
        if (request.offset() < 0 || request.length() < 0 || request.offset() + request.length() > info.size()) {
          throw ChorusException.badRequest("range outside the file");
        }
        return store.openForRead(fileId).map(file -> {
          String id = TransferSessions.newId();
          sessions.add(id, new DownloadSession(file, request.offset(), request.length()));
          return new DownloadTicket(id, address);
        });
      });
    });
  }

  /** The next chunk; the download closes itself after the last one or on a failure. */
  Future<Buffer> read(String id) {
    return StorageErrors.guard(address, () -> {
      DownloadSession session = sessions.touch(id);
      return session.read().onComplete(ar -> {
        if (ar.failed() || session.done()) {
          sessions.remove(id);
          session.close();
        }
      });
    });
  }

  Future<Void> close(String id) {
    DownloadSession session = sessions.remove(id);
    return session == null ? Future.succeededFuture() : session.close();
  }

  int active() {
    return sessions.size();
  }
}
