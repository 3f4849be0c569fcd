package io.chorus.storage;

import static io.chorus.model.Ids.uuid;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.Futures;
import io.chorus.model.files.DownloadTicket;
import io.chorus.model.files.FileAddresses;
import io.chorus.model.files.FileInfo;
import io.chorus.model.files.FileRef;
import io.chorus.model.files.OpenDownload;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The downloads this storage verticle serves: {@code storage.file.get} (metadata for a member),
 * {@code storage.file.open} (a byte range, opened for reading) and then {@code read}/{@code close} on the
 * verticle's transfer address. A download whose gateway goes quiet for the idle timeout is closed. One user has
 * at most {@code MAX_CONCURRENT_DOWNLOADS_PER_USER} open here (429 beyond): each holds a file, or one of the bucket's
 * connections, for as long as its reader takes, and a reader that trickles is never idle.
 */
final class FileDownloads {
  private final FileStore store;
  private final FileRepository repository;
  private final String address;
  private final TransferSessions<DownloadSession> sessions;
  private final int maxPerUser;
  private final Map<String, Integer> openPerUser = new HashMap<>();

  FileDownloads(Vertx vertx, FileStore store, FileRepository repository, StorageConfig config, String address) {
    this.store = store;
    this.repository = repository;
    this.address = address;
    this.sessions = new TransferSessions<>(vertx, config.fileIdleMs(), DownloadSession::close);
    this.maxPerUser = config.maxConcurrentDownloads();
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
        String userId = request.userId();
        if (openPerUser.getOrDefault(userId, 0) >= maxPerUser) {
          throw new ChorusException(ErrorCode.RATE_LIMITED,
              "too many downloads at once: at most " + maxPerUser + "; finish one first");
        }
        openPerUser.merge(userId, 1, Integer::sum); // before the store opens it: a burst cannot pass the bound
        return Futures.attempt(() -> store.open(fileId, request.offset(), request.length()))
            .onFailure(err -> release(userId))
            .map(range -> {
              String id = TransferSessions.newId();
              sessions.add(id, new DownloadSession(range, request.offset(), request.length(), () -> release(userId)));
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

  private void release(String userId) {
    openPerUser.computeIfPresent(userId, (user, open) -> open > 1 ? open - 1 : null);
  }
}
