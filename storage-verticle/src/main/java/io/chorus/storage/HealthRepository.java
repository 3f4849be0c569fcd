package io.chorus.storage;

import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** The SQL behind {@code storage.health.check}: the database answers a trivial query, or 503. */
public final class HealthRepository {
  private final Pool pool;

  public HealthRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Ack> ping() {
    return StorageErrors.guard(Addresses.STORAGE_HEALTH_CHECK.address(),
        () -> pool.query("SELECT 1").execute().map(rows -> Ack.INSTANCE));
  }
}
