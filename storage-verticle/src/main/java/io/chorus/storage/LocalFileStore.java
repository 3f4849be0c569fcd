package io.chorus.storage;

import io.chorus.model.ChorusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FILE_STORE=local}: the bytes live under {@code FILES_DIR}, a stored file at
 * {@code <dir>/<2 hex>/<fileId>}, an upload in progress at {@code <dir>/.incoming/<uploadId>.part}. A
 * finished upload is moved into place with a rename in the same directory tree, so a stored file is never
 * seen half-written. Several storage nodes must share the folder.
 */
final class LocalFileStore implements FileStore {
  private static final Logger log = LoggerFactory.getLogger(LocalFileStore.class);
  static final String INCOMING = ".incoming";
  private static final String PART = ".part";

  /** A shard folder: the first two hex digits of its files' ids. */
  private static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");

  private final Vertx vertx;
  private final FileSystem fs;
  private final Path root;
  private final Path incoming;

  LocalFileStore(Vertx vertx, String filesDir) {
    this.vertx = vertx;
    this.fs = vertx.fileSystem();
    this.root = Paths.get(filesDir).toAbsolutePath().normalize();
    this.incoming = root.resolve(INCOMING);
  }

  /** Judges temp files by their last write, so a slow upload of another node is left alone. */
  @Override
  public Future<Void> prepare(long staleMs) {
    return fs.mkdirs(incoming.toString())
        .compose(v -> fs.readDir(incoming.toString(), ".*\\" + PART))
        .compose(parts -> Future.all(parts.stream().map(part -> fs.props(part)
            .compose(props -> System.currentTimeMillis() - props.lastModifiedTime() > staleMs
                ? deletePath(Paths.get(part)) : Future.<Void>succeededFuture())
            // Gone meanwhile: its upload finished or another node swept it.
            .recover(err -> Future.succeededFuture())).toList()))
        .mapEmpty();
  }

  Path pathOf(UUID fileId) {
    String id = fileId.toString();
    return root.resolve(id.substring(0, 2)).resolve(id);
  }

  /** A new, empty temp file; fails if it exists, so two uploads never share one. */
  @Override
  public Future<PendingFile> begin(String uploadId, UUID fileId) {
    Path temp = incoming.resolve(uploadId + PART);
    return fs.open(temp.toString(), new OpenOptions().setCreateNew(true).setWrite(true))
        .map(file -> new TempFile(temp, pathOf(fileId), file));
  }

  @Override
  public Future<StoredRange> open(UUID fileId, long offset, long length) {
    Path path = pathOf(fileId);
    return fs.open(path.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .<StoredRange>map(file -> new FileRange(file, offset))
        .recover(err -> {
          if (!isMissing(err)) {
            return Future.failedFuture(err);
          }
          // Its row is there but its bytes are gone (removed by hand, a folder not shared): no retry brings them
          // back, so 404, not the 503 an I/O error is taken for.
          log.warn("a stored file is missing: {}", path);
          return Future.failedFuture(ChorusException.notFound("the file's bytes are missing from storage"));
        });
  }

  private static boolean isMissing(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.nio.file.NoSuchFileException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Future<Void> delete(UUID fileId) {
    return deletePath(pathOf(fileId));
  }

  /**
   * A file's name is its id and its folder the id's first two digits, so name order is shard order, then name
   * order within the shard: the shards from {@code after}'s are read one by one until {@code max} files are
   * found. Everything else under the folder (the uploads in progress, files not named by an id) is passed over.
   * Directory reads block, so they run on a worker.
   */
  @Override
  public Future<StoredPage> list(String after, int max) {
    String fromShard = after.length() >= 2 ? after.substring(0, 2) : "";
    return vertx.executeBlocking(() -> {
      List<StoredFile> files = new ArrayList<>();
      for (String shard : sortedNames(root, name -> SHARD.matcher(name).matches() && name.compareTo(fromShard) >= 0)) {
        for (String name : sortedNames(root.resolve(shard), name -> name.compareTo(after) > 0)) {
          UUID fileId = FileStore.fileIdOrNull(name);
          Path path = root.resolve(shard).resolve(name);
          if (fileId == null || !name.startsWith(shard) || !Files.isRegularFile(path)) {
            continue;
          }
          try {
            files.add(new StoredFile(fileId, Files.getLastModifiedTime(path).toInstant()));
          } catch (NoSuchFileException gone) {
            continue; // deleted meanwhile
          }
          if (files.size() == max) {
            return new StoredPage(files, name, false);
          }
        }
      }
      return new StoredPage(files, files.isEmpty() ? after : files.get(files.size() - 1).fileId().toString(), true);
    }, false);
  }

  /** The names in {@code dir} that {@code keep} accepts, sorted; none if it is not there (any more). */
  private static List<String> sortedNames(Path dir, Predicate<String> keep) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (keep.test(name)) {
          names.add(name);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException gone) {
      return List.of();
    }
    Collections.sort(names);
    return names;
  }

  private Future<Void> deletePath(Path path) {
    return fs.exists(path.toString())
        .compose(exists -> exists ? fs.delete(path.toString()) : Future.<Void>succeededFuture())
        .recover(err -> {
          log.warn("could not delete {}: {}", path, err.toString());
          return Future.succeededFuture();
        });
  }

  /** An upload written to its temp file, moved to its final place on commit. */
  private final class TempFile implements PendingFile {
    private final Path temp;
    private final Path target;
    private final AsyncFile file;
    private boolean closed;
    private boolean committed;

    TempFile(Path temp, Path target, AsyncFile file) {
      this.temp = temp;
      this.target = target;
      this.file = file;
    }

    @Override
    public Future<Void> write(Buffer chunk) {
      return file.write(chunk);
    }

    /** Closes the temp file (flushing it) and renames it into place. */
    @Override
    public Future<Void> commit() {
      return close()
          .compose(v -> fs.mkdirs(target.getParent().toString()))
          .compose(v -> fs.move(temp.toString(), target.toString(), new CopyOptions().setAtomicMove(true)))
          .onSuccess(v -> committed = true);
    }

    @Override
    public Future<Void> discard() {
      if (committed) {
        return Future.succeededFuture();
      }
      return close().recover(err -> Future.succeededFuture()).compose(v -> deletePath(temp));
    }

    /** Closes once: AsyncFile throws, rather than fails, on a second close. */
    private Future<Void> close() {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      return file.close();
    }
  }

  /** An open file read from a position onwards. */
  private static final class FileRange implements StoredRange {
    private final AsyncFile file;
    private long position;
    private boolean closed;

    FileRange(AsyncFile file, long offset) {
      this.file = file;
      this.position = offset;
    }

    @Override
    public Future<Buffer> read(int max) {
      return file.read(Buffer.buffer(max), 0, position, max).map(chunk -> {
        position += chunk.length();
        return chunk;
      });
    }

    @Override
    public Future<Void> close() {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      return file.close().recover(err -> Future.succeededFuture());
    }
  }
}
