package io.chorus.storage;

import io.chorus.model.ChorusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code FILE_STORE=s3}: the bytes live in a bucket ({@link S3Settings}), under {@code <S3_PREFIX><fileId>},
 * so storage nodes share nothing on their own disks. An upload streams to the bucket as it arrives: the
 * bytes gather in memory up to one part ({@link #DEFAULT_PART_BYTES}, S3's smallest), then go as a part of
 * a multipart upload; a file that ends within its first part is sent in one PUT on commit. Commit completes
 * the multipart upload, so the object appears whole or not at all; a discarded upload is aborted, which
 * removes its parts, and once its commit was attempted its key is deleted too: a commit whose reply was lost
 * (a timeout, a connection reset) may have stored the object all the same. A download is one ranged GET
 * whose body is read chunk by chunk.
 *
 * <p>The client is the AWS SDK's synchronous one: each call runs on a worker pool of its own, never on an
 * event loop, and an upload's calls run one after the other (see {@link BucketUpload}).
 */
final class S3FileStore implements FileStore {
  private static final Logger log = LoggerFactory.getLogger(S3FileStore.class);
  /** S3's smallest part (all but the last): the most one upload holds in memory, plus one chunk. */
  static final int DEFAULT_PART_BYTES = 5 * 1024 * 1024;
  /** Threads for the blocking calls: uploads' parts and downloads' reads of every transfer on this node. */
  private static final int WORKERS = 32;
  /** A download holds its connection while its client reads; this many may be open at once. */
  private static final int MAX_CONNECTIONS = 256;
  private static final String OCTETS = "application/octet-stream";

  private final S3Settings settings;
  private final S3Client client;
  private final WorkerExecutor workers;
  private final int partBytes;

  S3FileStore(Vertx vertx, S3Settings settings) {
    this(vertx, settings, DEFAULT_PART_BYTES);
  }

  S3FileStore(Vertx vertx, S3Settings settings, int partBytes) {
    this(vertx, settings, partBytes, clientBuilder(settings).build());
  }

  /** With a client of the caller's (tests add interceptors to {@link #clientBuilder}'s); closed with the store. */
  S3FileStore(Vertx vertx, S3Settings settings, int partBytes, S3Client client) {
    this.settings = settings;
    this.client = client;
    this.workers = vertx.createSharedWorkerExecutor("chorus-s3-" + UUID.randomUUID(), WORKERS);
    this.partBytes = partBytes;
  }

  static S3ClientBuilder clientBuilder(S3Settings settings) {
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(settings.region()))
        .forcePathStyle(settings.pathStyle())
        .credentialsProvider(credentials(settings))
        .httpClientBuilder(Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS))
        // Checksums only where S3 requires them: many S3-compatible stores refuse the SDK's newer default
        // (CRC trailers). Each file's SHA-256 is computed here anyway, and HTTPS protects the bytes on the way.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (!settings.endpoint().isEmpty()) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    return builder;
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (settings.accessKeyId() != null) {
      return StaticCredentialsProvider.create(settings.sessionToken() == null
          ? AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())
          : AwsSessionCredentials.create(settings.accessKeyId(), settings.secretAccessKey(), settings.sessionToken()));
    }
    if (settings.profile() != null) {
      return ProfileCredentialsProvider.create(settings.profile());
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /**
   * Runs a blocking call on the store's workers; the result comes back on the caller's context, a failure of
   * the bucket's in the contract's terms ({@link #contractFailure}).
   */
  private <T> Future<T> blocking(Callable<T> call) {
    return workers.<T>executeBlocking(call, false).recover(err -> Future.failedFuture(contractFailure(err)));
  }

  /**
   * A missing object is 404: its row is there but its bytes are gone (removed by hand, a bucket rule), and no
   * retry will bring them back. Any other failure of the SDK's or of reading a body (the bucket unreachable or
   * refusing) is 503 "file storage unavailable": left as it is, an IOException would be taken for the database's.
   */
  static Throwable contractFailure(Throwable err) {
    if (err instanceof NoSuchKeyException) {
      log.warn("an object is missing from the bucket: {}", err.toString());
      return ChorusException.notFound("the file's bytes are missing from storage");
    }
    if (err instanceof SdkException || err instanceof IOException || err instanceof java.io.UncheckedIOException) {
      // Reading an object's body fails with a plain IOException (after one retry from where it stopped).
      log.warn("file storage unavailable: {}", err.toString());
      return ChorusException.unavailable("file storage unavailable");
    }
    return err;
  }

  /**
   * Checks that the bucket answers (a wrong name, endpoint or key stops start-up here, not at the first
   * upload), then aborts the multipart uploads under the prefix that nobody has added a part to for
   * {@code staleMs}: uploads cut off by a crash. Younger ones may belong to another storage node.
   */
  @Override
  public Future<Void> prepare(long staleMs) {
    return blocking(() -> {
      try {
        client.headBucket(b -> b.bucket(settings.bucket()));
      } catch (RuntimeException e) {
        throw new IllegalStateException("the S3 bucket " + settings.bucket() + " does not answer ("
            + settings + "): " + e.getMessage(), e);
      }
      Instant before = Instant.now().minusMillis(staleMs);
      int aborted = 0;
      for (MultipartUpload upload : client.listMultipartUploadsPaginator(
          b -> b.bucket(settings.bucket()).prefix(settings.prefix())).uploads()) {
        if (upload.initiated().isBefore(before) && lastWrite(upload).isBefore(before)) {
          abort(upload.key(), upload.uploadId());
          aborted++;
        }
      }
      if (aborted > 0) {
        log.info("aborted {} multipart uploads left behind in {}", aborted, settings.bucket());
      }
      return null;
    });
  }

  private Instant lastWrite(MultipartUpload upload) {
    Instant last = upload.initiated();
    for (Part part : client.listPartsPaginator(b -> b.bucket(settings.bucket()).key(upload.key())
        .uploadId(upload.uploadId())).parts()) {
      if (part.lastModified().isAfter(last)) {
        last = part.lastModified();
      }
    }
    return last;
  }

  /** Aborting twice, or an upload already gone, is fine. */
  private void abort(String key, String uploadId) {
    try {
      client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
    } catch (NoSuchUploadException e) {
      // already aborted or completed
    }
  }

  @Override
  public Future<PendingFile> begin(String uploadId, UUID fileId) {
    return Future.succeededFuture(new BucketUpload(settings.key(fileId.toString())));
  }

  @Override
  public Future<StoredRange> open(UUID fileId, long offset, long length) {
    String key = settings.key(fileId.toString());
    if (length == 0) {
      return Future.succeededFuture(new ObjectRange(key, offset, 0, null));
    }
    return blocking(() -> new ObjectRange(key, offset, length, get(key, offset, length)));
  }

  private ResponseInputStream<GetObjectResponse> get(String key, long offset, long length) {
    return client.getObject(b -> b.bucket(settings.bucket()).key(key)
        .range("bytes=" + offset + "-" + (offset + length - 1)));
  }

  /** One ListObjectsV2 page under the prefix; names are keys without the prefix. */
  @Override
  public Future<StoredPage> list(String after, int max) {
    return blocking(() -> {
      ListObjectsV2Response page = client.listObjectsV2(b -> {
        b.bucket(settings.bucket()).prefix(settings.prefix()).maxKeys(max);
        if (!after.isEmpty()) {
          b.startAfter(settings.key(after));
        }
      });
      List<StoredFile> files = new ArrayList<>();
      String last = after;
      for (S3Object object : page.contents()) {
        last = object.key().substring(settings.prefix().length());
        UUID fileId = FileStore.fileIdOrNull(last);
        if (fileId != null) {
          files.add(new StoredFile(fileId, object.lastModified()));
        }
      }
      return new StoredPage(files, last, !Boolean.TRUE.equals(page.isTruncated()));
    });
  }

  @Override
  public Future<Void> delete(UUID fileId) {
    return delete(settings.key(fileId.toString()));
  }

  private Future<Void> delete(String key) {
    return this.<Void>blocking(() -> {
      client.deleteObject(b -> b.bucket(settings.bucket()).key(key));
      return null;
    }).recover(err -> {
      log.warn("could not delete {} from {}: {}", key, settings.bucket(), err.toString());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> close() {
    return workers.close().eventually(() -> blocking(() -> {
      client.close();
      return null;
    }).recover(err -> Future.succeededFuture())).recover(err -> {
      client.close();
      return Future.succeededFuture();
    });
  }

  /**
   * One upload on its way into the bucket. Its calls are chained, each starting when the one before ended,
   * so a discard that arrives while a part is being sent (an idle timeout, an abort) waits for it and then
   * aborts an upload no part is still going into: nothing is left in the bucket.
   */
  private final class BucketUpload implements PendingFile {
    private final String key;
    private final List<CompletedPart> parts = new ArrayList<>();
    private byte[] part = new byte[0];
    private int partLength;
    /** The multipart upload, once the first full part is sent. */
    private String multipartId;
    /**
     * The PUT or the completion was sent: whether it stored the object is known only if it answered, so a
     * discard from now on deletes the key as well.
     */
    private boolean commitSent;
    private boolean ended;
    private boolean failed;
    private Future<?> last = Future.succeededFuture();

    BucketUpload(String key) {
      this.key = key;
    }

    private <T> Future<T> then(Supplier<Future<T>> step) {
      Future<T> next = last.transform(ar -> step.get());
      last = next;
      // A finished step holds its part's bytes (through its closure): let them go unless a step follows.
      next.onComplete(ar -> {
        if (last == next) {
          last = Future.succeededFuture();
        }
      });
      return next;
    }

    /**
     * Adds the chunk to the part being gathered; each time the part is full it is sent (a chunk bigger
     * than what the part lacks fills it, and the rest starts the next one). Completes when every part the
     * chunk filled is in the bucket.
     */
    @Override
    public Future<Void> write(Buffer chunk) {
      if (ended) {
        return Future.failedFuture(new IllegalStateException("upload already ended"));
      }
      List<Future<Void>> sent = new ArrayList<>();
      int from = 0;
      while (from < chunk.length()) {
        int n = Math.min(chunk.length() - from, partBytes - partLength);
        grow(partLength + n);
        chunk.getBytes(from, from + n, part, partLength);
        partLength += n;
        from += n;
        if (partLength == partBytes) {
          byte[] full = part;
          part = new byte[0];
          partLength = 0;
          sent.add(then(() -> sendPart(full, partBytes)));
        }
      }
      return sent.isEmpty() ? Future.succeededFuture() : Future.all(sent).mapEmpty();
    }

    /** Grows the part by doubling, never beyond a part: a small file takes little memory. */
    private void grow(int needed) {
      if (needed > part.length) {
        byte[] grown = new byte[Math.min(partBytes, Math.max(needed, Math.max(2 * part.length, 64 * 1024)))];
        System.arraycopy(part, 0, grown, 0, partLength);
        part = grown;
      }
    }

    private Future<Void> sendPart(byte[] bytes, int length) {
      if (ended || failed) {
        // A part missing in the middle would make a corrupt file: once one failed, none follows.
        return Future.failedFuture(new IllegalStateException("upload already ended or failed"));
      }
      int number = parts.size() + 1;
      return blocking(() -> {
        if (multipartId == null) {
          multipartId = client.createMultipartUpload(b -> b.bucket(settings.bucket()).key(key)
              .contentType(OCTETS)).uploadId();
        }
        String etag = client.uploadPart(b -> b.bucket(settings.bucket()).key(key).uploadId(multipartId)
            .partNumber(number).contentLength((long) length), body(bytes, length)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
      }).map(done -> {
        parts.add(done);
        return (Void) null;
      }).onFailure(err -> failed = true);
    }

    @Override
    public Future<Void> commit() {
      return then(() -> {
        if (ended || failed) {
          return Future.failedFuture(new IllegalStateException("upload already ended or failed"));
        }
        byte[] rest = part;
        int length = partLength;
        part = null;
        if (multipartId == null) {
          commitSent = true;
          return this.<Void>blocking(() -> {
            client.putObject(b -> b.bucket(settings.bucket()).key(key).contentType(OCTETS)
                .contentLength((long) length), body(rest, length));
            return null;
          }).onSuccess(v -> ended = true);
        }
        Future<Void> lastPart = length > 0 ? sendPart(rest, length) : Future.succeededFuture();
        return lastPart.compose(v -> {
          commitSent = true;
          return this.<Void>blocking(() -> {
            client.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(multipartId)
                .multipartUpload(m -> m.parts(parts)));
            return null;
          });
        }).onSuccess(v -> ended = true);
      });
    }

    private <T> Future<T> blocking(Callable<T> call) {
      return S3FileStore.this.blocking(call);
    }

    @Override
    public Future<Void> discard() {
      return then(() -> {
        if (ended) {
          return Future.<Void>succeededFuture();
        }
        ended = true;
        part = null;
        if (multipartId == null && !commitSent) {
          return Future.<Void>succeededFuture();
        }
        Future<Void> aborted = multipartId == null ? Future.succeededFuture() : this.<Void>blocking(() -> {
          abort(key, multipartId);
          return null;
        }).recover(err -> {
          log.warn("could not abort the upload of {} in {} (a bucket lifecycle rule removes it): {}", key,
              settings.bucket(), err.toString());
          return Future.succeededFuture();
        });
        // The key is this upload's alone (a fresh file id), and deleting a missing key succeeds.
        return commitSent ? aborted.compose(v -> delete(key)) : aborted;
      });
    }
  }

  /** The bytes as a request body, read in place (no copy). */
  private static RequestBody body(byte[] bytes, int length) {
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, OCTETS);
  }

  /**
   * A ranged GET's body, read chunk by chunk on the workers. A body cut off midway (the connection dropped
   * while the client was slow to read, with an error or cleanly, the body just ending before its range did) is asked
   * for again from where it stopped, once per read.
   */
  private final class ObjectRange implements StoredRange {
    private final String key;
    private long position;
    private long remaining;
    private InputStream body;
    private boolean closed;

    ObjectRange(String key, long offset, long length, InputStream body) {
      this.key = key;
      this.position = offset;
      this.remaining = length;
      this.body = body;
    }

    @Override
    public Future<Buffer> read(int max) {
      int n = (int) Math.min(max, remaining);
      if (n == 0 || closed) {
        return Future.succeededFuture(Buffer.buffer());
      }
      return blocking(() -> {
        Buffer bytes = Buffer.buffer(n);
        String cut = "the body ended early";
        try {
          bytes.appendBytes(body.readNBytes(n));
        } catch (IOException e) {
          cut = e.toString();
        }
        if (bytes.length() < n) {
          long from = position + bytes.length();
          log.info("reading {} from {} again from byte {}: {}", key, settings.bucket(), from, cut);
          closeQuietly(body);
          body = get(key, from, remaining - bytes.length());
          bytes.appendBytes(body.readNBytes(n - bytes.length()));
        }
        position += bytes.length();
        remaining -= bytes.length();
        return bytes;
      });
    }

    @Override
    public Future<Void> close() {
      if (closed || body == null) {
        closed = true;
        return Future.succeededFuture();
      }
      closed = true;
      InputStream open = body;
      return blocking(() -> {
        // Not read to the end: abort rather than drain the rest of the range into a pooled connection.
        if (remaining > 0 && open instanceof ResponseInputStream<?> response) {
          response.abort();
        }
        closeQuietly(open);
        return null;
      }).<Void>mapEmpty().recover(err -> Future.succeededFuture());
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // nothing more to do with it
    }
  }
}
