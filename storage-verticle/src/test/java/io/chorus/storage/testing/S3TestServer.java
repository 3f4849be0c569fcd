package io.chorus.storage.testing;

import io.chorus.storage.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for tests: moto's ({@code python3 -m moto.server}) on a free loopback port,
 * with one bucket, killed on {@link #close} (and when the JVM exits). Tests see the bucket through
 * {@link #keys}, {@link #multipartUploads} and {@link #read}: what a store left there is what they assert.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String BUCKET = "chorus-test";
  public static final String REGION = "us-east-1";
  /** moto takes any key pair. */
  private static final String KEY_ID = "test-key-id";
  private static final String SECRET = "test-secret";
  private static final long START_SECONDS = 60;

  private final Process process;
  private final Path log;
  private final String endpoint;
  private final S3Client client;
  private final Thread killer;

  private S3TestServer(Process process, Path log, String endpoint) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
    this.killer = new Thread(process::destroyForcibly, "kill-moto");
    Runtime.getRuntime().addShutdownHook(killer);
    this.client = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
        .build();
  }

  /** Starts the server, waits until it answers and creates {@link #BUCKET}; fails saying what is missing. */
  public static S3TestServer start() {
    int port = freePort();
    Path log;
    Process process;
    try {
      Path dir = Path.of("target", "processes");
      Files.createDirectories(dir);
      log = dir.resolve("moto-" + port + ".log").toAbsolutePath();
      process = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("the S3 tests need python3 with moto's server (pip install 'moto[server]'),"
          + " and python3 could not be started: " + e.getMessage(), e);
    }
    String endpoint = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (!answers(endpoint)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto's S3 server exited with " + process.exitValue()
            + " (the S3 tests need python3 with moto: pip install 'moto[server]'): " + tail(log));
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("moto's S3 server did not answer within " + START_SECONDS + " s: " + tail(log));
      }
      try {
        Thread.sleep(100); // a process coming up: there is nothing to be told of, only to ask
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException(e);
      }
    }
    S3TestServer server = new S3TestServer(process, log, endpoint);
    server.client.createBucket(b -> b.bucket(BUCKET));
    return server;
  }

  public String endpoint() {
    return endpoint;
  }

  /** Settings for a store in the bucket under {@code prefix}. */
  public S3Settings settings(String prefix) {
    return new S3Settings(endpoint, REGION, BUCKET, prefix, true, KEY_ID, SECRET, null, null);
  }

  /** The same as environment variables, for {@code StorageConfig.from} and service processes. */
  public Map<String, String> env(String prefix) {
    Map<String, String> env = new HashMap<>();
    env.put("FILE_STORE", "s3");
    env.put("S3_ENDPOINT", endpoint);
    env.put("S3_REGION", REGION);
    env.put("S3_BUCKET", BUCKET);
    env.put("S3_PREFIX", prefix);
    env.put("S3_PATH_STYLE", "true");
    env.put("AWS_ACCESS_KEY_ID", KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET);
    return env;
  }

  /** The keys of the objects under {@code prefix}. */
  public Set<String> keys(String prefix) {
    Set<String> keys = new TreeSet<>();
    for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents()) {
      keys.add(object.key());
    }
    return keys;
  }

  /** The multipart uploads in progress (neither completed nor aborted) under {@code prefix}. */
  public List<MultipartUpload> multipartUploads(String prefix) {
    return client.listMultipartUploadsPaginator(b -> b.bucket(BUCKET).prefix(prefix)).uploads().stream().toList();
  }

  public byte[] read(String key) {
    return client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  @Override
  public void close() {
    client.close();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs anyway
    }
  }

  private static boolean answers(String endpoint) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint + "/moto-api/").toURL().openConnection();
      connection.setConnectTimeout(1_000);
      connection.setReadTimeout(5_000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static String tail(Path log) {
    try {
      String all = Files.readString(log);
      return all.length() > 2_000 ? all.substring(all.length() - 2_000) : all;
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
