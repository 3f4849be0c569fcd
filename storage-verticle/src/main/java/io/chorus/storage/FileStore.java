package io.chorus.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where uploaded bytes live under {@code FILES_DIR}: a stored file at {@code <dir>/<2 hex>/<fileId>}, an
 * upload in progress at {@code <dir>/.incoming/<uploadId>.part}. Every name is a generated id, so nothing
 * a client sends ever becomes part of a path. A finished upload is moved into place with a rename in the
 * same directory tree, so a stored file is never seen half-written.
 */
final class FileStore {
  private static final Logger log = LoggerFactory.getLogger(FileStore.class);
  static final String INCOMING = ".incoming";
  private static final String PART = ".part";

  private final FileSystem fs;
  private final Path root;
  private final Path incoming;

  FileStore(Vertx vertx, String filesDir) {
    this.fs = vertx.fileSystem();
    this.root = Paths.get(filesDir).toAbsolutePath().normalize();
    this.incoming = root.resolve(INCOMING);
  }

  /**
   * Creates the directories and deletes temp files nobody has written to for {@code staleMs}: uploads
   * cut off by a crash. Younger ones may belong to another storage node sharing the directory.
   */
  Future<Void> prepare(long staleMs) {
    return fs.mkdirs(incoming.toString())
        .compose(v -> fs.readDir(incoming.toString(), ".*\\" + PART))
        .compose(parts -> Future.all(parts.stream().map(part -> fs.props(part)
            .compose(props -> System.currentTimeMillis() - props.lastModifiedTime() > staleMs
                ? delete(Paths.get(part)) : Future.<Void>succeededFuture())
            // Gone meanwhile: its upload finished or another node swept it.
            .recover(err -> Future.succeededFuture())).toList()))
        .mapEmpty();
  }

  Path tempPath(String uploadId) {
    return incoming.resolve(uploadId + PART);
  }

  Path pathOf(UUID fileId) {
    String id = fileId.toString();
    return root.resolve(id.substring(0, 2)).resolve(id);
  }

  /** A new, empty temp file; fails if it exists, so two uploads never share one. */
  Future<AsyncFile> createTemp(String uploadId) {
    return fs.open(tempPath(uploadId).toString(), new OpenOptions().setCreateNew(true).setWrite(true));
  }

  /** Moves a finished upload to its final place. */
  Future<Path> promote(Path temp, UUID fileId) {
    Path target = pathOf(fileId);
    return fs.mkdirs(target.getParent().toString())
        .compose(v -> fs.move(temp.toString(), target.toString(), new CopyOptions().setAtomicMove(true)))
        .map(target);
  }

  Future<AsyncFile> openForRead(UUID fileId) {
    return fs.open(pathOf(fileId).toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false));
  }

  /** Deletes a file if it is there; a failure is logged, never passed on: clean-up is best effort. */
  Future<Void> delete(Path path) {
    return fs.exists(path.toString())
        .compose(exists -> exists ? fs.delete(path.toString()) : Future.<Void>succeededFuture())
        .recover(err -> {
          log.warn("could not delete {}: {}", path, err.toString());
          return Future.succeededFuture();
        });
  }
}
