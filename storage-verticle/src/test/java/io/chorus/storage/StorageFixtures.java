package io.chorus.storage;

import io.chorus.fixtures.TestDatabase;
import io.chorus.model.ChorusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

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
