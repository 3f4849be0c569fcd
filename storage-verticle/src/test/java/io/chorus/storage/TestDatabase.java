package io.chorus.storage;

import io.chorus.model.ChorusException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A fresh database per IT class on the server of {@code PG_URI} (default: the local trust-auth
 * server): created by {@link DatabaseBootstrap} itself on first use, dropped with {@link #drop()}.
 */
final class TestDatabase {
  private static final String DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

  final String name;
  final String uri;

  private TestDatabase(String name, String uri) {
    this.name = name;
    this.uri = uri;
  }

  static TestDatabase fresh() {
    String name = "chorus_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return new TestDatabase(name, withDatabase(serverUri(), name));
  }

  StorageConfig config() {
    return new StorageConfig(uri, StorageConfig.DEFAULT_POOL_SIZE);
  }

  /** Drops the database, disconnecting whatever still uses it; over JDBC, so no Vert.x is needed. */
  void drop() throws SQLException {
    PgConnectOptions admin = config().connectOptions().setDatabase("postgres");
    String url = DatabaseBootstrap.jdbcUrl(admin);
    try (Connection c = DriverManager.getConnection(url, admin.getUser(), admin.getPassword());
         Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DatabaseBootstrap.quoteIdentifier(name) + " WITH (FORCE)");
    }
  }

  /** PG_URI when it is set to a PostgreSQL URI (failsafe passes it through, possibly unresolved). */
  private static String serverUri() {
    String env = System.getenv("PG_URI");
    return env != null && env.startsWith("postgres") ? env : DEFAULT_SERVER;
  }

  private static String withDatabase(String server, String database) {
    try {
      URI u = new URI(server);
      return u.getScheme() + "://" + u.getRawAuthority() + "/" + database
          + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("PG_URI is not a URI", e);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }

  /** The contract failure a future ended with; fails the test if it succeeded or failed otherwise. */
  static ChorusException failure(Future<?> future) {
    try {
      Object value = await(future);
      throw new AssertionError("expected a failure, got " + value);
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof ChorusException ce) {
          return ce;
        }
      }
      throw new AssertionError("expected a ChorusException", t);
    }
  }
}
