package io.chorus.storage;

import io.chorus.model.Bus;
import io.chorus.model.ChorusException;
import io.chorus.model.Futures;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns database failures into the contract's codes so no SQL text ever reaches a caller: expected
 * outcomes are already {@link ChorusException}s, a database that cannot be reached is 503, anything
 * else is logged by {@link Bus#toChorus} and travels as a bare 500. Ids are parsed by
 * {@link io.chorus.model.Ids}: a malformed id is the caller's mistake (400), not a database error.
 */
final class StorageErrors {
  private static final Logger log = LoggerFactory.getLogger(StorageErrors.class);

  static final String UNIQUE_VIOLATION = "23505";

  /** The message the pg pool fails with when no connection frees up in time (it has no own type). */
  private static final String POOL_TIMEOUT = "Timeout waiting for connection";

  private StorageErrors() {}

  /** Runs {@code work} (which may also throw) and maps any failure; every repository method uses it. */
  static <T> Future<T> guard(String where, Supplier<Future<T>> work) {
    return Futures.attempt(work).recover(err -> Future.failedFuture(map(err, where)));
  }

  static ChorusException map(Throwable err, String where) {
    if (err instanceof ChorusException ce) {
      return ce;
    }
    if (err instanceof DatabaseException db && db.getSqlState() != null && db.getSqlState().startsWith("22")) {
      // A data exception: a value the database cannot hold (a NUL in text, a number out of range).
      return ChorusException.badRequest("a value was refused by the database");
    }
    if (isUnavailable(err)) {
      log.warn("{}: database unavailable: {}", where, err.toString());
      return ChorusException.unavailable("database unavailable");
    }
    return Bus.toChorus(err, where);
  }

  /** Connection refused or lost, server shutting down or full, pool starved: retrying later may work. */
  static boolean isUnavailable(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException || t instanceof ClosedConnectionException) {
        return true;
      }
      if (t instanceof DatabaseException db && db.getSqlState() != null && isUnavailableState(db.getSqlState())) {
        return true;
      }
      // JDBC (Flyway at start-up) reports the same conditions as SQLSTATE class 08.
      if (t instanceof SQLException sql && sql.getSQLState() != null && isUnavailableState(sql.getSQLState())) {
        return true;
      }
      if (t instanceof VertxException && POOL_TIMEOUT.equals(t.getMessage())) {
        return true;
      }
      if (t instanceof ConnectionPoolTooBusyException) {
        return true; // PG_POOL_QUEUE requests already wait: shed this one now
      }
    }
    return false;
  }

  /** Class 08 (connection exception), 57P01-03 (shutdown, cannot connect now), 53300 (too many connections). */
  private static boolean isUnavailableState(String state) {
    return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
        || state.equals("53300");
  }

  static boolean isUniqueViolation(Throwable err) {
    return err instanceof DatabaseException db && UNIQUE_VIOLATION.equals(db.getSqlState());
  }
}
