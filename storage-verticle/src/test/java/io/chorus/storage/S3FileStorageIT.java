package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.S3TestServer;
import io.chorus.model.ChorusException;
import io.chorus.model.Env;
import io.chorus.model.ErrorCode;
import io.chorus.model.files.BeginUpload;
import io.chorus.model.files.CommitUpload;
import io.chorus.model.files.DownloadTicket;
import io.chorus.model.files.FileAddresses;
import io.chorus.model.files.OpenDownload;
import io.chorus.model.files.UploadResult;
import io.chorus.model.files.UploadTicket;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.Random;
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

      @Override
      public String place(String name, byte[] bytes) {
        server.put(prefix + name, bytes);
        return prefix + name;
      }

      @Override
      public String nameOf(UUID fileId) {
        return prefix + fileId;
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

  /** A bucket that cannot be reached is the file storage's outage (503 saying so), not the database's. */
  @Test
  void aBucketThatCannotBeReachedIsFileStorageUnavailable() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    UploadResult file = uploaded(alice, c, Buffer.buffer("stored"), "kept.txt");

    traffic.unreachable(true);
    ChorusException refused;
    try {
      refused = failureOf(() -> downloads.open(new OpenDownload(file.fileId(), alice.userId(), 0, 6)));
    } finally {
      traffic.unreachable(false);
    }

    assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(refused.getMessage()).isEqualTo("file storage unavailable");
  }

  /**
   * An object's body that ends before its range does, cleanly (a connection closed midway by the server or a
   * proxy), is asked for again from where it stopped: the download gets every byte, not a file cut short.
   */
  @Test
  void aBodyThatEndsEarlyIsReadAgainFromWhereItStopped() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    byte[] bytes = new byte[3 * FileAddresses.CHUNK_BYTES];
    new Random(11).nextBytes(bytes);
    UploadResult file = uploaded(alice, c, Buffer.buffer(bytes), "cut.bin");
    int asked = traffic.objectRanges().size();

    traffic.cutNextBodyAfter(300_000);
    DownloadTicket read = onLoop(() -> downloads.open(new OpenDownload(file.fileId(), alice.userId(), 0,
        bytes.length)));
    Buffer got = Buffer.buffer();
    while (got.length() < bytes.length) {
      got.appendBuffer(onLoop(() -> downloads.read(read.downloadId())));
    }

    assertThat(got.getBytes()).isEqualTo(bytes);
    assertThat(traffic.objectRanges().subList(asked, traffic.objectRanges().size()))
        .containsExactly("bytes=0-" + (bytes.length - 1), "bytes=300000-" + (bytes.length - 1));
  }

  /** A download of part of a file asks the bucket for that part only, not the whole object. */
  @Test
  void aRangeDownloadAsksTheBucketForThatRangeOnly() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    byte[] bytes = new byte[PART + 40_000];
    new Random(5).nextBytes(bytes);
    UploadResult file = uploaded(alice, c, Buffer.buffer(bytes), "ranged.bin");
    int asked = traffic.objectRanges().size();

    DownloadTicket read = onLoop(() -> downloads.open(new OpenDownload(file.fileId(), alice.userId(), 1_000_000,
        70_000)));
    Buffer got = Buffer.buffer();
    while (got.length() < 70_000) {
      got.appendBuffer(onLoop(() -> downloads.read(read.downloadId())));
    }

    assertThat(got.getBytes()).isEqualTo(Arrays.copyOfRange(bytes, 1_000_000, 1_070_000));
    assertThat(traffic.objectRanges().subList(asked, traffic.objectRanges().size()))
        .containsExactly("bytes=1000000-1069999");
  }

  @AfterAll
  void stopServer() {
    server.close();
  }
}
