package io.chorus.storage;

import io.chorus.fixtures.TestDatabase;
import io.chorus.model.ChorusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** What the storage ITs need besides the shared {@link TestDatabase}: its storage config, and awaits. */
final class StorageFixtures {
  private StorageFixtures() {}

  /** The storage service's settings for the test database, pool size as in production. */
  static StorageConfig config(TestDatabase db) {
    return new StorageConfig(db.uri(), StorageConfig.DEFAULT_POOL_SIZE);
  }

  /** The test database migrated as storage's start-up does it, and a pool on it. */
  static Pool migratedPool(Vertx vertx, TestDatabase db) {
    await(DatabaseBootstrap.prepare(vertx, config(db)));
    return config(db).newPool(vertx);
  }

  /**
   * For a test of one migration: creates the test database, migrates it up to {@code version} only (Flyway, as
   * storage would have on an older release) and returns its JDBC URL; {@link #migrateAll} then runs the rest.
   */
  static String migratedUpTo(TestDatabase db, String version) throws SQLException {
    PgConnectOptions target = config(db).connectOptions();
    String server = DatabaseBootstrap.jdbcUrl(new PgConnectOptions(target).setDatabase("postgres"));
    try (Connection admin = DriverManager.getConnection(server, target.getUser(), target.getPassword());
         Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + DatabaseBootstrap.quoteIdentifier(target.getDatabase()));
    }
    String url = DatabaseBootstrap.jdbcUrl(target);
    flyway(db, url).target(version).load().migrate();
    return url;
  }

  /** Runs every migration not yet applied to the test database at {@code url}. */
  static void migrateAll(TestDatabase db, String url) {
    flyway(db, url).load().migrate();
  }

  /** A JDBC connection to the test database at {@code url}. */
  static Connection connect(TestDatabase db, String url) throws SQLException {
    PgConnectOptions target = config(db).connectOptions();
    return DriverManager.getConnection(url, target.getUser(), target.getPassword());
  }

  private static FluentConfiguration flyway(TestDatabase db, String url) {
    PgConnectOptions target = config(db).connectOptions();
    return Flyway.configure().dataSource(url, target.getUser(), target.getPassword())
        .locations("classpath:db/migration");
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
