package io.chorus.storage;

import io.chorus.fixtures.S3TestServer;
import io.chorus.model.Env;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link FileStorageIT} with {@code FILE_STORE=s3}, against moto's S3 server: the same contract, and what
 * it leaves is looked at in the bucket (objects, multipart uploads in progress). Files are bigger than a
 * part here, so uploads go as multipart uploads, completed on commit and aborted when they fail.
 */
class S3FileStorageIT extends FileStorageIT {
  private static final int PART = S3FileStore.DEFAULT_PART_BYTES;
  private final S3TestServer server = S3TestServer.start();
  private final String prefix = "it-" + UUID.randomUUID() + "/";

  @Override
  long maxUploadBytes() {
    return 3L * PART;
  }

  /** A part upload to a local server may take a good part of a second on a busy machine: time to spare. */
  @Override
  long idleTimeoutMs() {
    return 2_000;
  }

  @Override
  FileStore newStore(Vertx vertx, StorageConfig config) {
    return new S3FileStore(vertx, S3Settings.from(new Env(server.env(prefix))));
  }

  @Override
  StoreProbe newProbe() {
    return new StoreProbe() {
      @Override
      public long incoming() {
        return server.multipartUploads(prefix).size();
      }

      @Override
      public Set<String> stored() {
        return new TreeSet<>(server.keys(prefix));
      }

      @Override
      public byte[] read(UUID fileId) {
        return server.read(prefix + fileId);
      }
    };
  }

  /** A multipart upload exists once its first part is sent. */
  @Override
  int inProgressBytes() {
    return PART;
  }

  /** Two full parts and a short last one. */
  @Override
  int committedFileBytes() {
    return 2 * PART + 40_000;
  }

  @AfterAll
  void stopServer() {
    server.close();
  }
}
