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
import io.chorus.model.files.FileAddresses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code FILE_STORE=s3}, storage nodes share no folder. One at a time: a storage node on node B with a
 * FILES_DIR of its own stores a file, and once it is gone, a storage node on node A with another FILES_DIR
 * serves it; then the other way round. Both at once: uploads spread over the two and both serve downloads;
 * with either one gone, the other serves every file, those the gone one stored included.
 */
class S3StorageNodesIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long MB = 1024 * 1024;

  private S3TestServer s3;
  private StoredFiles stored;
  private Path folderA;
  private Path folderB;
  private FileClient files;
  /** The storage verticles a test deployed and has not stopped, so the next test starts with none. */
  private final Map<String, Vertx> storageUp = new LinkedHashMap<>();

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

  @AfterEach
  void stopStorage() {
    storageUp.forEach((deployment, node) -> Wait.on(node.undeploy(deployment), 30));
    storageUp.clear();
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
    String onB = deployStorage(cluster.nodeB, folderA);
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

  @Test
  void twoStorageNodesUpAtOnceOnDifferentFoldersShareTheirFiles() {
    files = new FileClient(cluster.gatewayPort());
    String onA = deployStorage(cluster.nodeA, folderA);
    String onB = deployStorage(cluster.nodeB, folderB);
    String begin = FileAddresses.STORAGE_FILE_BEGIN.address();
    String open = FileAddresses.STORAGE_FILE_OPEN.address();
    try (RequestsSeen seen = new RequestsSeen(cluster.nodeA, cluster.nodeB)) {
      Account carol = api.register("carol");
      Account dave = api.register("dave");
      String conversation = api.createConversation(carol, "two storage nodes", dave);
      // The bus hands each upload's begin to one of the two nodes in turn; that node stores the upload.
      Map<String, GeneratedContent> uploaded = new LinkedHashMap<>();
      for (int i = 0; i < 12 && (uploaded.size() < 4 || seen.count(cluster.nodeA, begin) == 0
          || seen.count(cluster.nodeB, begin) == 0); i++) {
        // The first is bigger than a part (a multipart upload), the others are single PUTs.
        GeneratedContent content = GeneratedContent.random(60 + i, i == 0 ? 6 * MB : 200_000 + 1_000 * i);
        uploaded.put(upload(i % 2 == 0 ? carol : dave, conversation, "spread-" + i + ".bin", content), content);
      }
      assertThat(seen.count(cluster.nodeA, begin)).as("uploads stored by the storage node on node A").isPositive();
      assertThat(seen.count(cluster.nodeB, begin)).as("uploads stored by the storage node on node B").isPositive();

      // Downloads spread the same way (the bus may well send each open to the node that stored the file):
      // every file, again, until each node has served some.
      for (int round = 0; round < 5 && (round == 0 || seen.count(cluster.nodeA, open) == 0
          || seen.count(cluster.nodeB, open) == 0); round++) {
        uploaded.forEach((fileId, content) -> assertSame(files.download(dave.token(), "/api/files/" + fileId),
            content, fileId));
      }
      assertThat(seen.count(cluster.nodeA, open)).as("downloads served by the storage node on node A").isPositive();
      assertThat(seen.count(cluster.nodeB, open)).as("downloads served by the storage node on node B").isPositive();

      // With node A's gone, node B serves every file, those node A stored included; then the other way round.
      stopStorage(cluster.nodeA, onA);
      assertServedByOneNode(seen, carol, uploaded, cluster.nodeB, cluster.nodeA);
      deployStorage(cluster.nodeA, folderA);
      stopStorage(cluster.nodeB, onB);
      assertServedByOneNode(seen, dave, uploaded, cluster.nodeA, cluster.nodeB);

      uploaded.keySet().forEach(fileId -> assertThat(stored.holds(fileId)).as(fileId).isTrue());
    }
    assertThat(stored.incoming()).isEmpty();
    assertThat(regularFiles(folderA)).as("storage's folder on node A").isZero();
    assertThat(regularFiles(folderB)).as("storage's folder on node B").isZero();
  }

  /** Every file downloads whole, every open answered by the storage node on {@code up}. */
  private void assertServedByOneNode(RequestsSeen seen, Account who, Map<String, GeneratedContent> uploaded, Vertx up,
      Vertx down) {
    String open = FileAddresses.STORAGE_FILE_OPEN.address();
    int servedByUp = seen.count(up, open);
    int servedByDown = seen.count(down, open);
    uploaded.forEach((fileId, content) -> assertSame(awaitDownload(who, fileId), content, fileId));
    assertThat(seen.count(down, open)).as("downloads served by a node whose storage stopped").isEqualTo(servedByDown);
    assertThat(seen.count(up, open) - servedByUp).as("downloads served by the one storage node up")
        .isGreaterThanOrEqualTo(uploaded.size());
  }

  private static void assertSame(Download download, GeneratedContent content, String fileId) {
    assertThat(download.status()).as(fileId).isEqualTo(200);
    assertThat(download.size()).as(fileId).isEqualTo(content.size());
    assertThat(download.sha256()).as(fileId).isEqualTo(content.sha256());
  }

  private String deployStorage(Vertx node, Path folder) {
    String deployment = cluster.deployStorage(node, Map.of("FILES_DIR", folder.toString()));
    storageUp.put(deployment, node);
    return deployment;
  }

  private void stopStorage(Vertx node, String deployment) {
    storageUp.remove(deployment);
    Wait.on(node.undeploy(deployment), 30);
  }

  /** Starts storage on {@code to} with its own folder, then stops the one on {@code from}; the new one's id. */
  private String switchStorage(Vertx from, String deployment, Vertx to, Path folder) {
    String started = deployStorage(to, folder);
    stopStorage(from, deployment);
    return started;
  }

  /**
   * The requests each node's handlers received, by address: the storage verticle on a node is the only
   * consumer of {@code storage.file.*} there, so these say which storage node answered.
   */
  private static final class RequestsSeen implements AutoCloseable {
    private final Map<Vertx, Map<String, AtomicInteger>> counts = new ConcurrentHashMap<>();
    private final Map<Vertx, Handler<DeliveryContext<Object>>> interceptors = new HashMap<>();

    RequestsSeen(Vertx... nodes) {
      for (Vertx node : nodes) {
        Map<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();
        counts.put(node, byAddress);
        Handler<DeliveryContext<Object>> interceptor = delivery -> {
          byAddress.computeIfAbsent(delivery.message().address(), a -> new AtomicInteger()).incrementAndGet();
          delivery.next();
        };
        interceptors.put(node, interceptor);
        node.eventBus().addInboundInterceptor(interceptor);
      }
    }

    int count(Vertx node, String address) {
      AtomicInteger count = counts.get(node).get(address);
      return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
      interceptors.forEach((node, interceptor) -> node.eventBus().removeInboundInterceptor(interceptor));
    }
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

  /**
   * Uploads the file; a 503 while the gateway still hears of a storage node an earlier test stopped is
   * retried (nothing was stored).
   */
  private String upload(Account who, String conversation, String name, GeneratedContent content) {
    Reply[] reply = new Reply[1];
    Wait.until(name + " uploaded to a storage node that is up", WAIT, () -> {
      reply[0] = files.upload(who.token(), conversation,
          FileClient.multipart(name, "application/octet-stream", content, null));
      return reply[0].status() != 503;
    });
    assertThat(reply[0].status()).as(name + ": " + reply[0].body().encode()).isEqualTo(201);
    return reply[0].body().getString("fileId");
  }

  private static long regularFiles(Path folder) {
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
