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
 * The file part of a storage verticle: prepares its {@link FileStore} ({@code FILES_DIR} or the bucket of
 * {@code FILE_STORE=s3}) and registers
 * {@code storage.file.begin}, {@code storage.file.get}, {@code storage.file.open} and this verticle's own
 * transfer address {@code storage.transfer.<nodeId>} (see {@link FileAddresses}); then, in the background,
 * sweeps the store's files that no row records ({@link OrphanSweep}).
 */
final class FileService {
  private FileService() {}

  /** The store the settings name. */
  static FileStore store(Vertx vertx, StorageConfig config) {
    return config.s3() == null ? new LocalFileStore(vertx, config.filesDir()) : new S3FileStore(vertx, config.s3());
  }

  /**
   * Completes with the store, for the verticle to close when it stops, once every file address is
   * registered cluster-wide.
   */
  static Future<FileStore> start(Vertx vertx, StorageConfig config, Pool pool) {
    FileStore store = store(vertx, config);
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
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).map(all -> {
        // Not waited for: a sweep only tidies up, and a big bucket should not slow a start.
        new OrphanSweep(store, repository, OrphanSweep.PAGE_SIZE, OrphanSweep.MAX_PAGES, config.fileIdleMs())
            .atStart(config.fileIdleMs());
        return store;
      });
    }, err -> store.close().transform(v -> Future.failedFuture(err)));
  }
}
