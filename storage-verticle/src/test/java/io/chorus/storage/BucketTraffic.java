package io.chorus.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * An interceptor on a test's S3 client that sees what the store asks of the bucket (the Range header of
 * every GET of an object, as sent) and, when told, loses the reply of a commit (the single PUT or
 * CompleteMultipartUpload) after the server carried it out: the SDK call fails as on a connection reset,
 * while the object is in the bucket. {@code afterExecution} runs once the SDK is done with the call, its
 * retries included, so the failure is not retried away.
 */
final class BucketTraffic implements ExecutionInterceptor {
  private final List<String> objectRanges = new CopyOnWriteArrayList<>();
  private volatile boolean loseCommitReplies;
  private volatile boolean unreachable;
  private final AtomicLong cutNextBodyAfter = new AtomicLong(-1);

  void loseCommitReplies(boolean lose) {
    loseCommitReplies = lose;
  }

  /** Every request fails as if the bucket's server could not be reached (connection refused). */
  void unreachable(boolean down) {
    unreachable = down;
  }

  /**
   * The next object body read ends, cleanly, after {@code bytes}: as a connection closed midway by the server or a
   * proxy looks to a reader, with no error.
   */
  void cutNextBodyAfter(long bytes) {
    cutNextBodyAfter.set(bytes);
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    long cut = context.request() instanceof GetObjectRequest ? cutNextBodyAfter.getAndSet(-1) : -1;
    if (cut < 0 || context.responseBody().isEmpty()) {
      return context.responseBody();
    }
    return Optional.of(new FilterInputStream(context.responseBody().get()) {
      private long left = cut;

      @Override
      public int read() throws IOException {
        return left-- > 0 ? super.read() : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = super.read(b, off, (int) Math.min(len, left));
        left -= Math.max(n, 0);
        return n;
      }
    });
  }

  /** The Range header of each GetObject sent so far, in order ("" for a GET of the whole object). */
  List<String> objectRanges() {
    return List.copyOf(objectRanges);
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    if (unreachable) {
      throw SdkClientException.create("unreachable (test)", new java.net.ConnectException("Connection refused"));
    }
    if (context.request() instanceof GetObjectRequest) {
      objectRanges.add(context.httpRequest().firstMatchingHeader("Range").orElse(""));
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    if (loseCommitReplies && (context.request() instanceof PutObjectRequest
        || context.request() instanceof CompleteMultipartUploadRequest)) {
      throw SdkClientException.create("the reply was lost (test)", new SocketException("Connection reset"));
    }
  }
}
