package io.chorus.storage;

import io.chorus.fixtures.S3TestServer;
import io.chorus.model.Env;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.files.BeginUpload;
import io.chorus.model.files.CommitUpload;
import io.chorus.model.files.UploadTicket;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link FileStorageIT} with {@code FILE_STORE=s3}, against moto's S3 server: the same contract, and what
 * it leaves is looked at in the bucket (objects, multipart uploads in progress). Files are bigger than a
 * part here, so uploads go as multipart uploads, completed on commit and aborted when they fail.
 */
class S3FileStorageIT extends FileStorageIT {
  private static final int PART = S3FileStore.DEFAULT_PART_BYTES;
  private final S3TestServer server = S3TestServer.start();
  private final String prefix = "it-" + UUID.randomUUID() + "/";
  private final BucketTraffic traffic = new BucketTraffic();

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
    S3Settings settings = S3Settings.from(new Env(server.env(prefix)));
    return new S3FileStore(vertx, settings, PART, S3FileStore.clientBuilder(settings)
        .overrideConfiguration(c -> c.addExecutionInterceptor(traffic)).build());
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

  /**
   * The PUT (a file within one part) or the completion (a multipart file) reaches the bucket, which stores
   * the object, but its reply is lost: the commit fails, and the object it made must go with the upload.
   */
  @Test
  void aCommitWhoseReplyIsLostLeavesNoObjectAndNoMultipartUpload() throws Exception {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    Set<String> before = storedFiles();
    for (int size : new int[] {40_000, PART + 40_000}) {
      UploadTicket ticket = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), alice.userId())));
      onLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer(new byte[size])));
      traffic.loseCommitReplies(true);
      try {
        failureOf(() -> uploads.commit(ticket.uploadId(), new CommitUpload("lost.bin", null)));
      } finally {
        traffic.loseCommitReplies(false);
      }

      assertThat(storedFiles()).as("objects after a lost reply to the commit of %d bytes", size).isEqualTo(before);
      assertThat(partFiles()).as("multipart uploads after the commit of %d bytes", size).isZero();
    }
    assertThat(rows("files", c.conversationId())).isZero();
    assertThat(uploadsInProgress(alice)).isZero();
  }

  @AfterAll
  void stopServer() {
    server.close();
  }
}
