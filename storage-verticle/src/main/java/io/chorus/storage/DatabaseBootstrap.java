package io.chorus.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.DatabaseException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the configured database ready before the storage verticle opens its pool: creates the
 * database when it does not exist yet (docs/design.md: "created on first start when the server allows"),
 * then applies the Flyway migrations under {@code db/migration}. Several storage nodes may start at
 * once: a concurrent CREATE DATABASE is tolerated and Flyway serialises migrations with a lock.
 */
public final class DatabaseBootstrap {
  private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);

  /** invalid_catalog_name: the database in the URI does not exist. */
  private static final String NO_SUCH_DATABASE = "3D000";
  /** duplicate_database, or the pg_database unique index when two creates race. */
  private static final Set<String> ALREADY_CREATED = Set.of("42P04", "23505");
  /** Where a new database is created from; every PostgreSQL server has it. */
  private static final String MAINTENANCE_DATABASE = "postgres";

  private DatabaseBootstrap() {}

  /** Creates the database if needed and migrates it; fails 503-style when the server does not answer. */
  public static Future<Void> prepare(Vertx vertx, StorageConfig config) {
    PgConnectOptions target = config.connectOptions();
    return ensureDatabase(vertx, target)
        .compose(v -> vertx.executeBlocking(() -> migrate(target)))
        .recover(err -> Future.failedFuture(StorageErrors.map(err, "storage bootstrap")))
        .mapEmpty();
  }

  /** Connects to the target first, so a server that forbids the maintenance database still works. */
  private static Future<Void> ensureDatabase(Vertx vertx, PgConnectOptions target) {
    return PgConnection.connect(vertx, target)
        .compose(conn -> conn.close())
        .recover(err -> isSqlState(err, Set.of(NO_SUCH_DATABASE))
            ? createDatabase(vertx, target)
            : Future.failedFuture(err));
  }

  private static Future<Void> createDatabase(Vertx vertx, PgConnectOptions target) {
    String name = target.getDatabase();
    PgConnectOptions admin = new PgConnectOptions(target).setDatabase(MAINTENANCE_DATABASE);
    log.info("database {} does not exist; creating it", name);
    // CREATE DATABASE takes no parameters, so the name is quoted as an identifier.
    String sql = "CREATE DATABASE " + quoteIdentifier(name);
    return PgConnection.connect(vertx, admin)
        .compose(conn -> conn.query(sql).execute().eventually(() -> conn.close()))
        .<Void>mapEmpty()
        .recover(err -> {
          if (isSqlState(err, ALREADY_CREATED)) {
            log.info("database {} was created concurrently by another node", name);
            return Future.succeededFuture();
          }
          return Future.failedFuture(err);
        });
  }

  /** Runs on a worker thread: Flyway speaks JDBC and blocks. */
  private static Void migrate(PgConnectOptions target) {
    Flyway flyway = Flyway.configure()
        .dataSource(jdbcUrl(target), target.getUser(), target.getPassword())
        .locations("classpath:db/migration")
        .load();
    MigrateResult result = flyway.migrate();
    if (result.migrationsExecuted == 0) {
      log.info("database {} schema is up to date", target.getDatabase());
    } else {
      log.info("database {} migrated to version {} ({} migrations applied)",
          target.getDatabase(), result.targetSchemaVersion, result.migrationsExecuted);
    }
    return null;
  }

  /** The JDBC twin of the pg client's options, so Flyway reaches the same database the same way. */
  static String jdbcUrl(PgConnectOptions options) {
    String host = options.getHost().contains(":") ? "[" + options.getHost() + "]" : options.getHost();
    return "jdbc:postgresql://" + host + ":" + options.getPort() + "/"
        + URLEncoder.encode(options.getDatabase(), StandardCharsets.UTF_8)
        + "?sslmode=" + sslMode(options.getSslMode())
        + "&ApplicationName=chorus-storage-migrations";
  }

  static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String sslMode(SslMode mode) {
    return mode == null ? "disable" : mode.name().toLowerCase().replace('_', '-');
  }

  private static boolean isSqlState(Throwable err, Set<String> states) {
    return err instanceof DatabaseException db && states.contains(db.getSqlState());
  }
}
