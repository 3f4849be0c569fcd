package io.chorus.systemtests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A cluster whose storage keeps uploaded files in a folder of the test class's own (removed afterwards), with
 * {@link #fileSettings()} on top, and a {@link FileClient} on the first gateway.
 */
public abstract class FilesClusterTestBase extends ClusterTestBase {
  protected Path filesDir;
  protected FileClient files;

  /** The class's own settings (limits, timeouts); FILES_DIR is set here. */
  protected abstract Map<String, String> fileSettings();

  @Override
  protected final ClusterHarness startCluster() {
    try {
      filesDir = Files.createTempDirectory("chorus-files-it-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> settings = new HashMap<>(fileSettings());
    settings.put("FILES_DIR", filesDir.toString());
    return ClusterHarness.start(settings, true);
  }

  @BeforeAll
  final void startFileClient() {
    files = new FileClient(cluster.gatewayPort());
  }

  @AfterAll
  final void removeStoredFiles() throws IOException {
    try (Stream<Path> all = Files.walk(filesDir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
