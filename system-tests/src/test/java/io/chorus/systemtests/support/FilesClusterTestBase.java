package io.chorus.systemtests.support;

import io.chorus.fixtures.S3TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A cluster whose storage keeps uploaded files in a folder of the test class's own (removed afterwards), or,
 * when {@link #filesInBucket()}, in a bucket of moto's S3 server started for the class ({@code FILE_STORE=s3}),
 * with {@link #fileSettings()} on top, and a {@link FileClient} on the first gateway. {@link #stored} shows
 * what storage keeps, wherever it keeps it.
 */
public abstract class FilesClusterTestBase extends ClusterTestBase {
  protected Path filesDir;
  protected FileClient files;
  protected StoredFiles stored;
  protected S3TestServer s3;

  /** The class's own settings (limits, timeouts); FILES_DIR and the store are set here. */
  protected abstract Map<String, String> fileSettings();

  /** {@code FILE_STORE=s3}, against moto's S3 server; otherwise {@code local}. */
  protected boolean filesInBucket() {
    return false;
  }

  @Override
  protected final ClusterHarness startCluster() {
    try {
      filesDir = Files.createTempDirectory("chorus-files-it-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> settings = new HashMap<>(fileSettings());
    settings.put("FILES_DIR", filesDir.toString());
    if (filesInBucket()) {
      s3 = S3TestServer.start();
      String prefix = "it-" + UUID.randomUUID() + "/";
      settings.putAll(s3.env(prefix));
      stored = StoredFiles.inBucket(s3, prefix);
    } else {
      stored = StoredFiles.inFolder(filesDir);
    }
    return ClusterHarness.start(settings, true);
  }

  @BeforeAll
  final void startFileClient() {
    files = new FileClient(cluster.gatewayPort());
  }

  @AfterAll
  final void removeStoredFiles() throws IOException {
    if (s3 != null) {
      s3.close();
    }
    try (Stream<Path> all = Files.walk(filesDir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
