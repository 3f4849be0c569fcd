package io.chorus.systemtests.support;

import io.chorus.fixtures.Wait;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine's PostgreSQL server (Debian's pg_ctlcluster), restarted by tests as an operator would. */
public final class PostgresServer {
  private PostgresServer() {}

  /** Restarts the server (sessions cut at once) and returns once it accepts connections again. */
  public static void restart() {
    String[] versions = new File("/etc/postgresql").list();
    if (versions == null || versions.length == 0) {
      throw new AssertionError("no PostgreSQL cluster under /etc/postgresql to restart");
    }
    String version = Arrays.stream(versions).max(Comparator.comparingDouble(Double::parseDouble)).orElseThrow();
    List<String> command = List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m",
        "fast");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(command + " failed: " + new String(process.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    Wait.until("PostgreSQL accepts connections", Duration.ofSeconds(60), PostgresServer::answers);
  }

  private static boolean answers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
