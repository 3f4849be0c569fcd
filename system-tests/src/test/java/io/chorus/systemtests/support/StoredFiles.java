package io.chorus.systemtests.support;

import io.chorus.fixtures.S3TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the storage service keeps, seen from outside: stored files and uploads in progress, in
 * {@code FILES_DIR} ({@link #inFolder}) or in a bucket ({@link #inBucket}). Names are paths relative to the
 * folder, or keys; an upload in progress in a bucket is its multipart upload.
 */
public interface StoredFiles {
  /** Stored files and uploads in progress together. */
  Set<String> all();

  /** Uploads in progress: temp files, or multipart uploads neither completed nor aborted. */
  Set<String> incoming();

  /** The name a stored file has: {@code <2 hex>/<fileId>} in a folder, {@code <prefix><fileId>} in a bucket. */
  String nameOf(String fileId);

  default boolean holds(String fileId) {
    return all().contains(nameOf(fileId));
  }

  static StoredFiles inFolder(Path dir) {
    return new StoredFiles() {
      @Override
      public Set<String> all() {
        for (int attempt = 1; ; attempt++) {
          try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                .collect(Collectors.toCollection(TreeSet::new));
          } catch (IOException | UncheckedIOException e) {
            // A temp file deleted while the walk passed it: look again.
            if (attempt == 5) {
              throw new AssertionError("cannot list " + dir, e);
            }
          }
        }
      }

      @Override
      public Set<String> incoming() {
        return all().stream().filter(name -> name.startsWith(".incoming/"))
            .collect(Collectors.toCollection(TreeSet::new));
      }

      @Override
      public String nameOf(String fileId) {
        return fileId.substring(0, 2) + "/" + fileId;
      }
    };
  }

  static StoredFiles inBucket(S3TestServer server, String prefix) {
    return new StoredFiles() {
      @Override
      public Set<String> all() {
        Set<String> all = new TreeSet<>(server.keys(prefix));
        all.addAll(incoming());
        return all;
      }

      @Override
      public Set<String> incoming() {
        return server.multipartUploads(prefix).stream().map(u -> "multipart upload " + u.uploadId() + " of " + u.key())
            .collect(Collectors.toCollection(TreeSet::new));
      }

      @Override
      public String nameOf(String fileId) {
        return prefix + fileId;
      }
    };
  }
}
