package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.S3TestServer;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.FileClient;
import io.chorus.systemtests.support.FileClient.Download;
import io.chorus.systemtests.support.FileClient.Reply;
import io.chorus.systemtests.support.GeneratedContent;
import io.chorus.systemtests.support.StoredFiles;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code FILE_STORE=s3}, storage nodes share no folder: a storage node on node B with a FILES_DIR of its
 * own stores a file, and once it is gone, a storage node on node A with another FILES_DIR serves it; then the
 * other way round. Only one storage node is up at a time, so whichever answers is the one meant.
 */
class S3StorageNodesIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long MB = 1024 * 1024;

  private S3TestServer s3;
  private StoredFiles stored;
  private Path folderA;
  private Path folderB;
  private FileClient files;

  @Override
  protected ClusterHarness startCluster() {
    s3 = S3TestServer.start();
    String prefix = "nodes-" + UUID.randomUUID() + "/";
    stored = StoredFiles.inBucket(s3, prefix);
    try {
      folderA = Files.createTempDirectory("chorus-storage-a-");
      folderB = Files.createTempDirectory("chorus-storage-b-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> settings = new HashMap<>(s3.env(prefix));
    settings.put("UPLOAD_RATE_PER_MINUTE", "1000");
    return ClusterHarness.start(settings, true, false);
  }

  @AfterAll
  void stopS3AndRemoveFolders() throws IOException {
    if (s3 != null) {
      s3.close();
    }
    for (Path folder : new Path[] {folderA, folderB}) {
      try (Stream<Path> all = Files.walk(folder)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void twoStorageNodesOnDifferentFoldersEachServeAFileTheOtherStored() {
    files = new FileClient(cluster.gatewayPort());
    String onB = cluster.deployStorage(cluster.nodeB, Map.of("FILES_DIR", folderA.toString()));
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "shared nothing", bob);
    // Bigger than a part: stored by a multipart upload.
    GeneratedContent first = GeneratedContent.random(40, 7 * MB);
    String firstId = upload(alice, conversation, "first.bin", first);

    String onA = switchStorage(cluster.nodeB, onB, cluster.nodeA, folderB);
    Download firstBack = awaitDownload(bob, firstId);
    assertThat(firstBack.sha256()).isEqualTo(first.sha256());
    Download middle = files.download(bob.token(), "/api/files/" + firstId, Map.of("Range", "bytes=5000000-5999999"));
    assertThat(middle.status()).isEqualTo(206);
    assertThat(middle.bytes()).isEqualTo(first.slice(5_000_000, 6_000_000));
    GeneratedContent second = GeneratedContent.random(41, 300_000);
    String secondId = upload(bob, conversation, "second.bin", second);

    switchStorage(cluster.nodeA, onA, cluster.nodeB, folderA);
    assertThat(awaitDownload(alice, secondId).sha256()).isEqualTo(second.sha256());
    assertThat(files.download(alice.token(), "/api/files/" + firstId).sha256()).isEqualTo(first.sha256());

    assertThat(stored.holds(firstId)).isTrue();
    assertThat(stored.holds(secondId)).isTrue();
    assertThat(stored.incoming()).isEmpty();
    assertThat(regularFiles(folderA)).as("storage's folder on node B").isZero();
    assertThat(regularFiles(folderB)).as("storage's folder on node A").isZero();
  }

  /** Starts storage on {@code to} with its own folder, then stops the one on {@code from}; the new one's id. */
  private String switchStorage(Vertx from, String deployment, Vertx to, Path folder) {
    String started = cluster.deployStorage(to, Map.of("FILES_DIR", folder.toString()));
    Wait.on(from.undeploy(deployment), 30);
    return started;
  }

  /**
   * The file's download, once the gateway has heard that the stopped storage node is gone (until then a
   * request may still be sent to it and fail with 503); any 200 comes from the storage node still up.
   */
  private Download awaitDownload(Account who, String fileId) {
    Download[] last = new Download[1];
    Wait.until("a download answered by the storage node that is up", WAIT, () -> {
      last[0] = files.download(who.token(), "/api/files/" + fileId);
      assertThat(last[0].status()).isIn(200, 503);
      return last[0].status() == 200;
    });
    return last[0];
  }

  private String upload(Account who, String conversation, String name, GeneratedContent content) {
    Reply reply = files.upload(who.token(), conversation,
        FileClient.multipart(name, "application/octet-stream", content, null));
    assertThat(reply.status()).as(name + ": " + reply.body().encode()).isEqualTo(201);
    return reply.body().getString("fileId");
  }

  private static long regularFiles(Path folder) {
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
