package io.chorus.storage;

import io.chorus.model.Bus;
import io.chorus.model.files.FileAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;

/**
 * The file part of a storage verticle: prepares {@code FILES_DIR} and registers
 * {@code storage.file.begin}, {@code storage.file.get}, {@code storage.file.open} and this verticle's own
 * transfer address {@code storage.transfer.<nodeId>} (see {@link FileAddresses}).
 */
final class FileService {
  private FileService() {}

  /** Completes once every file address is registered cluster-wide. */
  static Future<Void> start(Vertx vertx, StorageConfig config, Pool pool) {
    FileStore store = new FileStore(vertx, config.filesDir());
    return store.prepare(config.fileIdleMs()).compose(v -> {
      EventBus bus = vertx.eventBus();
      String address = FileAddresses.transfer(UUID.randomUUID().toString());
      FileRepository repository = new FileRepository(pool);
      FileUploads uploads = new FileUploads(vertx, store, repository, config, address, bus::publish);
      FileDownloads downloads = new FileDownloads(vertx, store, repository, config, address);
      List<MessageConsumer<?>> consumers = List.of(
          Bus.consume(bus, FileAddresses.STORAGE_FILE_BEGIN, uploads::begin),
          Bus.consume(bus, FileAddresses.STORAGE_FILE_GET, downloads::get),
          Bus.consume(bus, FileAddresses.STORAGE_FILE_OPEN, downloads::open),
          TransferEndpoint.register(bus, address, uploads, downloads));
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
    });
  }
}
