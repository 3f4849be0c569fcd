package io.chorus.llm.provider;

import io.chorus.model.ChorusException;
import io.chorus.model.storage.Usage;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed answer over HTTP, whatever the wire format: sends the request, feeds a 2xx body to an
 * {@link SseParser} and hands each event to the subclass ({@link OpenAiStream}, {@link AnthropicStream}),
 * which turns it into {@link #delta}, {@link #end} or {@link #fail}. This class owns what both formats
 * share: the total and idle timeouts, reading a bounded error body for a non-2xx status, mapping every
 * failure to a short {@link ChorusException} 503, exactly one terminal callback, and {@link #cancel()}.
 * Every failure and every cancel resets the request, so no more bytes are read and its connection is not
 * reused.
 *
 * <p>Failures are classified as retryable (the connection failed, a 5xx or a 429, the stream closed
 * early) or not (a timeout waiting for the provider, another 4xx, a malformed stream). A retryable
 * failure goes to {@link AttemptListener#onRetryableError} when the listener is one, which is how
 * {@link RetryingProvider} decides to try again; every other listener just gets {@code onError}.
 */
abstract class SseStream implements ChatProvider.Handle {
  private static final Logger log = LoggerFactory.getLogger(SseStream.class);
  /** Enough of an error body to log the provider's explanation; the rest is not read. */
  private static final int MAX_ERROR_BODY = 2048;

  private final Vertx vertx;
  private final ChatProvider.Listener listener;
  private final long streamTimeoutMs;
  private final long idleTimeoutMs;
  private final UnaryOperator<String> redact;
  private final SseParser parser = new SseParser(this::dispatch);
  private HttpClientRequest request;
  private boolean done;
  private long timer = -1;
  private long idleTimer = -1;
  private long lastRead;

  SseStream(Vertx vertx, ChatProvider.Listener listener, long streamTimeoutMs, long idleTimeoutMs,
      UnaryOperator<String> redact) {
    this.vertx = vertx;
    this.listener = listener;
    this.streamTimeoutMs = streamTimeoutMs;
    this.idleTimeoutMs = idleTimeoutMs;
    this.redact = redact;
  }

  /** One event of a 2xx response, in order; called until the stream is done. */
  protected abstract void onEvent(SseEvent event);

  /** The 2xx body ended and no event ended or failed the stream: end it if the answer is complete. */
  protected abstract void onBodyEnd();

  final void start(Future<HttpClientRequest> requestFuture, Buffer body) {
    timer = vertx.setTimer(streamTimeoutMs,
        id -> fail(unavailable("the model provider took too long to answer"), "stream timeout", false));
    requestFuture.onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
      } else if (done) {
        ar.result().reset(); // cancelled while connecting
      } else {
        request = ar.result();
        request.send(body).onComplete(this::onResponse);
      }
    });
  }

  @Override
  public final void cancel() {
    if (!done) {
      finish(true);
      log.debug("stream cancelled");
    }
  }

  /** A piece of the answer; empty text is not passed on. */
  protected final void delta(String text) {
    if (!done && text != null && !text.isEmpty()) {
      listener.onDelta(text);
    }
  }

  /** The answer is complete. */
  protected final void end(String finishReason, Usage usage) {
    if (done) {
      return;
    }
    finish(false); // the rest of the response (its last chunk) is read normally and the connection reused
    listener.onEnd(finishReason, usage);
  }

  /** Ends the stream with {@code failure} for the room; {@code detail} goes to the log, redacted. */
  protected final void fail(ChorusException failure, String detail, boolean retryable) {
    if (done) {
      return;
    }
    finish(true);
    log.warn("model provider stream failed: {} ({})", failure.getMessage(), redact.apply(detail));
    if (retryable && listener instanceof AttemptListener attempt) {
      attempt.onRetryableError(failure);
    } else {
      listener.onError(failure);
    }
  }

  protected final void malformed(String detail) {
    fail(unavailable("the model provider sent a malformed stream"), detail, false);
  }

  /** The body closed before the answer ended: the connection broke, which a retry may fix. */
  protected final void closedEarly(String detail) {
    fail(unavailable("the model provider closed the stream before the answer ended"), detail, true);
  }

  protected final boolean isDone() {
    return done;
  }

  private void dispatch(SseEvent event) {
    if (!done) {
      onEvent(event);
    }
  }

  private void onResponse(AsyncResult<HttpClientResponse> ar) {
    if (done) {
      return;
    }
    if (ar.failed()) {
      fail(ar.cause());
      return;
    }
    HttpClientResponse response = ar.result();
    response.exceptionHandler(this::fail);
    if (response.statusCode() / 100 != 2) {
      readErrorBody(response);
      return;
    }
    // The request's idle timeout covers the wait for the headers only; this one covers the body.
    lastRead = System.nanoTime();
    armIdleTimer(idleTimeoutMs);
    response.handler(buffer -> {
      lastRead = System.nanoTime();
      if (!done) {
        parseSafely(() -> parser.feed(buffer));
      }
    });
    response.endHandler(v -> {
      if (!done) {
        parseSafely(parser::end);
      }
      if (!done) {
        onBodyEnd();
      }
    });
  }

  private void parseSafely(Runnable parsing) {
    try {
      parsing.run();
    } catch (SseParser.TooLarge e) {
      malformed(e.getMessage());
    } catch (RuntimeException e) {
      // Thrown by the listener mid-buffer: the rest of this buffer's events would be skipped silently and
      // the answer stored with a hole, so the stream ends here, visibly, instead.
      log.error("model provider stream ended: handling its data failed", e);
      fail(unavailable("the answer failed"), "listener failure: " + e, false);
    }
  }

  /** One timer re-armed for the remaining time, rather than a new timer for every buffer. */
  private void armIdleTimer(long delayMs) {
    idleTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
      if (done) {
        return;
      }
      long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRead);
      if (silentMs >= idleTimeoutMs) {
        fail(unavailable("the model provider did not answer in time"), "no data for " + silentMs + " ms", false);
      } else {
        armIdleTimer(idleTimeoutMs - silentMs);
      }
    });
  }

  private void readErrorBody(HttpClientResponse response) {
    int status = response.statusCode();
    boolean retryable = status == 429 || status >= 500;
    Buffer body = Buffer.buffer();
    ChorusException failure = unavailable("the model provider answered HTTP " + status);
    response.handler(chunk -> {
      if (!done) {
        body.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_ERROR_BODY - body.length()));
        if (body.length() >= MAX_ERROR_BODY) {
          fail(failure, "HTTP " + status + ": " + truncate(body.toString()), retryable);
        }
      }
    });
    response.endHandler(v -> fail(failure, "HTTP " + status + ": " + truncate(body.toString()), retryable));
  }

  /**
   * A connection that could not be made or broke is worth another try; a timeout waiting for the
   * provider is not (it would multiply the wait), nor is our own {@link ChorusException}.
   */
  private void fail(Throwable cause) {
    if (cause instanceof ChorusException ce) {
      fail(ce, ce.getMessage(), false);
    } else if (cause instanceof io.netty.channel.ConnectTimeoutException) {
      fail(unavailable("the model provider did not answer in time"), cause.toString(), true);
    } else if (cause instanceof TimeoutException) {
      fail(unavailable("the model provider did not answer in time"), cause.toString(), false);
    } else if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
      fail(unavailable("the model provider is unreachable"), cause.toString(), true);
    } else {
      fail(unavailable("the connection to the model provider failed"), cause.toString(), true);
    }
  }

  /** Stops the timers and callbacks; {@code reset} aborts the request and closes its connection. */
  private void finish(boolean reset) {
    done = true;
    vertx.cancelTimer(timer);
    vertx.cancelTimer(idleTimer);
    if (reset && request != null) {
      request.reset();
    }
  }

  protected static ChorusException unavailable(String message) {
    return ChorusException.unavailable(message);
  }

  protected static String truncate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
