package io.chorus.storage;

import io.chorus.model.Env;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The storage service's settings: {@code PG_URI} (the database, created on first start when the
 * server allows), {@code PG_POOL_SIZE} (connections per storage node) and {@code PG_POOL_QUEUE} (requests
 * that may wait for a connection; beyond that they are refused at once with 503 rather than queue up
 * until they time out, so an overloaded node sheds load instead of growing memory), {@code PG_APPEND_BATCHES}
 * (how many statements may write users' messages at once; messages that arrive meanwhile are written
 * together by the next, see {@link AppendBatcher}); for files {@code FILE_STORE} ({@code local}: the
 * bytes live in {@code FILES_DIR}, shared by every storage node when there are several; {@code s3}: in a
 * bucket, {@link S3Settings}, then {@code s3} holds its settings, null otherwise), {@code MAX_UPLOAD_BYTES}
 * and {@code FILE_SESSION_IDLE_MS} (an upload or download that hears nothing for that long, because
 * its gateway vanished, is dropped and its temp file deleted), {@code MAX_CONCURRENT_UPLOADS_PER_USER}
 * (429 beyond) and {@code USER_QUOTA_BYTES} (the sizes of a user's stored files together; 413 beyond),
 * both counted in the database so they hold across gateways and storage nodes, and
 * {@code MAX_CONCURRENT_DOWNLOADS_PER_USER} (429 beyond; counted on each storage node: a download holds a file
 * or a bucket connection there while its reader reads). A bad value fails at
 * start-up with a message naming the variable.
 */
public record StorageConfig(String pgUri, int poolSize, int poolQueue, String filesDir, long maxUploadBytes,
    long fileIdleMs, int appendBatches, int maxConcurrentUploads, long userQuotaBytes, int maxConcurrentDownloads,
    S3Settings s3) {
  public static final int DEFAULT_POOL_SIZE = 8;
  /**
   * Few enough that messages arriving under load meet a busy writer and share the next commit, enough that
   * one slow commit does not stall every send; the other connections serve reads (docs/benchmarks.md).
   */
  public static final int DEFAULT_APPEND_BATCHES = 2;
  /**
   * About a second of appends at this machine's full speed (docs/benchmarks.md): a burst of several
   * hundred sends into one conversation is absorbed; past that the excess is refused. A smaller queue
   * answers overload sooner (256: accepted sends' p50 0.3 s instead of 1.3 s at twice the capacity).
   */
  public static final int DEFAULT_POOL_QUEUE = 1_024;
  public static final String DEFAULT_FILES_DIR = "./data/files";
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 25L * 1024 * 1024;
  public static final long DEFAULT_FILE_IDLE_MS = 120_000;
  public static final int DEFAULT_MAX_CONCURRENT_UPLOADS = 3;
  public static final long DEFAULT_USER_QUOTA_BYTES = 1024L * 1024 * 1024;
  public static final int DEFAULT_MAX_CONCURRENT_DOWNLOADS = 16;

  /**
   * A request waiting for a connection gives up after this (503), in step with the bus request timeout;
   * it also bounds a connect to a server that does not answer.
   */
  private static final int POOL_WAIT_SECONDS = 10;
  /** Answers end far less often than users send; two connections keep one slow commit from blocking the next. */
  private static final int ANSWERS_POOL_SIZE = 2;

  public StorageConfig {
    if (pgUri == null || pgUri.isBlank()) {
      throw new IllegalArgumentException("PG_URI is required");
    }
    try {
      PgConnectOptions.fromUri(pgUri);
    } catch (IllegalArgumentException e) {
      // Never echo the URI: it may carry a password.
      throw new IllegalArgumentException("PG_URI is not a valid PostgreSQL URI (postgresql://user@host:port/db)");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("PG_POOL_SIZE must be at least 1, got " + poolSize);
    }
    if (poolQueue < 1) {
      throw new IllegalArgumentException("PG_POOL_QUEUE must be at least 1, got " + poolQueue);
    }
    if (filesDir == null || filesDir.isBlank()) {
      throw new IllegalArgumentException("FILES_DIR must not be empty");
    }
    if (maxUploadBytes < 1) {
      throw new IllegalArgumentException("MAX_UPLOAD_BYTES must be at least 1, got " + maxUploadBytes);
    }
    if (fileIdleMs < 100) {
      throw new IllegalArgumentException("FILE_SESSION_IDLE_MS must be at least 100, got " + fileIdleMs);
    }
    if (appendBatches < 1) {
      throw new IllegalArgumentException("PG_APPEND_BATCHES must be at least 1, got " + appendBatches);
    }
    if (maxConcurrentUploads < 1) {
      throw new IllegalArgumentException(
          "MAX_CONCURRENT_UPLOADS_PER_USER must be at least 1, got " + maxConcurrentUploads);
    }
    if (userQuotaBytes < 0) {
      throw new IllegalArgumentException("USER_QUOTA_BYTES must not be negative, got " + userQuotaBytes);
    }
    if (maxConcurrentDownloads < 1) {
      throw new IllegalArgumentException(
          "MAX_CONCURRENT_DOWNLOADS_PER_USER must be at least 1, got " + maxConcurrentDownloads);
    }
  }

  /** Files in {@code FILES_DIR} ({@code FILE_STORE=local}). */
  public StorageConfig(String pgUri, int poolSize, int poolQueue, String filesDir, long maxUploadBytes,
      long fileIdleMs, int appendBatches, int maxConcurrentUploads, long userQuotaBytes) {
    this(pgUri, poolSize, poolQueue, filesDir, maxUploadBytes, fileIdleMs, appendBatches, maxConcurrentUploads,
        userQuotaBytes, DEFAULT_MAX_CONCURRENT_DOWNLOADS, null);
  }

  /** Every setting but the upload limits, which take their defaults. */
  public StorageConfig(String pgUri, int poolSize, int poolQueue, String filesDir, long maxUploadBytes,
      long fileIdleMs, int appendBatches) {
    this(pgUri, poolSize, poolQueue, filesDir, maxUploadBytes, fileIdleMs, appendBatches,
        DEFAULT_MAX_CONCURRENT_UPLOADS, DEFAULT_USER_QUOTA_BYTES);
  }

  /** Every setting but the group commit's and the upload limits, which take their defaults. */
  public StorageConfig(String pgUri, int poolSize, int poolQueue, String filesDir, long maxUploadBytes,
      long fileIdleMs) {
    this(pgUri, poolSize, poolQueue, filesDir, maxUploadBytes, fileIdleMs, DEFAULT_APPEND_BATCHES);
  }

  /** The database settings with the file defaults. */
  public StorageConfig(String pgUri, int poolSize) {
    this(pgUri, poolSize, DEFAULT_POOL_QUEUE, DEFAULT_FILES_DIR, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_FILE_IDLE_MS);
  }

  public static StorageConfig from(Env env) {
    String fileStore = env.string("FILE_STORE", "local");
    S3Settings s3 = switch (fileStore) {
      case "local" -> null;
      case "s3" -> S3Settings.from(env);
      default -> throw new IllegalArgumentException("FILE_STORE must be local or s3, got '" + fileStore + "'");
    };
    return new StorageConfig(env.pgUri(), env.integer("PG_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 1_000),
        env.integer("PG_POOL_QUEUE", DEFAULT_POOL_QUEUE, 1, 1_000_000),
        env.string("FILES_DIR", DEFAULT_FILES_DIR),
        env.longValue("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES, 1, Long.MAX_VALUE),
        env.longValue("FILE_SESSION_IDLE_MS", DEFAULT_FILE_IDLE_MS, 100, 3_600_000),
        env.integer("PG_APPEND_BATCHES", DEFAULT_APPEND_BATCHES, 1, 1_000),
        env.integer("MAX_CONCURRENT_UPLOADS_PER_USER", DEFAULT_MAX_CONCURRENT_UPLOADS, 1, 10_000),
        env.longValue("USER_QUOTA_BYTES", DEFAULT_USER_QUOTA_BYTES, 0, Long.MAX_VALUE),
        env.integer("MAX_CONCURRENT_DOWNLOADS_PER_USER", DEFAULT_MAX_CONCURRENT_DOWNLOADS, 1, 10_000), s3);
  }

  /** Same settings, files in the bucket {@code s3} describes. */
  public StorageConfig withS3(S3Settings s3) {
    return new StorageConfig(pgUri, poolSize, poolQueue, filesDir, maxUploadBytes, fileIdleMs, appendBatches,
        maxConcurrentUploads, userQuotaBytes, maxConcurrentDownloads, s3);
  }

  /** Options for the configured database; a fresh copy each time, so callers may change it. */
  public PgConnectOptions connectOptions() {
    PgConnectOptions options = PgConnectOptions.fromUri(pgUri);
    // Every statement is a prepared one with a fixed text, so caching saves a round trip each time.
    options.setCachePreparedStatements(true);
    return options;
  }

  public PoolOptions poolOptions() {
    return new PoolOptions()
        .setName("postgres") // the pool_name of Vert.x's pool metrics
        .setMaxSize(poolSize)
        .setMaxWaitQueueSize(poolQueue)
        .setConnectionTimeout(POOL_WAIT_SECONDS)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS);
  }

  /**
   * The assistant's answers' own two connections, with no bound on waiting (a request still gives up
   * after the connection timeout): see {@link MessageRepository#MessageRepository(Pool, Pool)}.
   */
  public Pool newAnswersPool(Vertx vertx) {
    PoolOptions options = new PoolOptions().setName("postgres-answers").setMaxSize(ANSWERS_POOL_SIZE)
        .setConnectionTimeout(POOL_WAIT_SECONDS).setConnectionTimeoutUnit(TimeUnit.SECONDS);
    return PgBuilder.pool().with(options).connectingTo(connectOptions()).using(vertx).build();
  }

  /** A new pool on the configured database; the caller closes it. */
  public Pool newPool(Vertx vertx) {
    return PgBuilder.pool().with(poolOptions()).connectingTo(connectOptions()).using(vertx).build();
  }
}
