package io.chorus.gateway.sse;

import io.chorus.model.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code text/event-stream} answer, bounded like a bridge socket: at most {@code SOCKET_QUEUE_BYTES} may
 * wait unsent (the response's write queue); an event that finds the queue full closes the stream with
 * {@code event: error} ("slow consumer") rather than letting it grow. A comment every 15 s keeps proxies from
 * closing a quiet stream. Confined to the request's context.
 */
final class SseResponse {
  private static final Logger log = LoggerFactory.getLogger(SseResponse.class);
  static final long KEEP_ALIVE_MS = 15_000;
  /**
   * How long the last words (a slow-consumer error, say) may take to flush before the connection is cut: the
   * bridge's grace for a slow socket, so a reader whose link comes back soon learns why.
   */
  private static final long LAST_WORDS_MS = 5_000;

  private final RoutingContext ctx;
  private final Vertx vertx;
  private final int queueBytes;
  private final List<Runnable> drainWaiters = new ArrayList<>();
  private final List<Runnable> closeHandlers = new ArrayList<>();
  private Runnable onSlowConsumer = () -> {};
  private long keepAlive = -1;
  private boolean closed;

  SseResponse(RoutingContext ctx, int queueBytes) {
    this.ctx = ctx;
    this.vertx = ctx.vertx();
    this.queueBytes = queueBytes;
  }

  /** Sends the headers; {@code tick} runs with each keep-alive (a token's expiry is checked there). */
  void open(int status, Runnable tick) {
    HttpServerResponse response = ctx.response();
    response.setStatusCode(status).setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no") // nginx: pass each event on at once
        .setWriteQueueMaxSize(queueBytes);
    response.closeHandler(v -> closed());
    response.endHandler(v -> closed());
    response.exceptionHandler(err -> log.debug("event stream failed: {}", err.toString()));
    response.drainHandler(v -> {
      List<Runnable> waiting = List.copyOf(drainWaiters);
      drainWaiters.clear();
      waiting.forEach(Runnable::run);
    });
    if (response.closed()) {
      closed(); // the client left while the stream was being set up: nothing to keep
      return;
    }
    response.write(SseFrames.comment("connected"));
    keepAlive = vertx.setPeriodic(KEEP_ALIVE_MS, id -> {
      if (!closed) {
        tick.run();
        if (!closed && !response.writeQueueFull()) {
          response.write(SseFrames.comment("keep-alive"));
        }
      }
    });
  }

  void onClose(Runnable handler) {
    closeHandlers.add(handler);
  }

  /** Runs once if the stream is ended as a slow consumer (operators count these). */
  void onSlowConsumer(Runnable handler) {
    onSlowConsumer = handler;
  }

  boolean isClosed() {
    return closed;
  }

  /** A live event: written, or, when the reader has let {@code SOCKET_QUEUE_BYTES} pile up, the end. */
  void write(Buffer frame) {
    if (closed) {
      return;
    }
    if (ctx.response().writeQueueFull()) {
      slowConsumer();
      return;
    }
    ctx.response().write(frame);
  }

  /** Written whatever the queue holds: for replay, which paces itself with {@link #whenWritable}. */
  void writePaced(Buffer frame) {
    if (!closed) {
      ctx.response().write(frame);
    }
  }

  /** Runs {@code next} once the reader has taken what waits (at once when little does). */
  void whenWritable(Runnable next) {
    if (closed) {
      return;
    }
    if (ctx.response().writeQueueFull()) {
      drainWaiters.add(next);
    } else {
      next.run();
    }
  }

  void slowConsumer() {
    if (closed) {
      return;
    }
    onSlowConsumer.run();
    fail(ErrorCode.UNAVAILABLE.code(), "slow consumer: more than " + queueBytes
        + " bytes waited unsent; reconnect with Last-Event-ID to resume");
  }

  /** {@code event: error}, then the end. */
  void fail(int code, String message) {
    end(SseFrames.error(code, message));
  }

  /** The last frame (if any), then the end of the answer; the connection goes if it does not flush soon. */
  void end(Buffer last) {
    if (closed) {
      return;
    }
    HttpServerResponse response = ctx.response();
    if (last != null) {
      response.write(last);
    }
    long cut = vertx.setTimer(LAST_WORDS_MS, id -> ctx.request().connection().close());
    response.end().onComplete(ar -> vertx.cancelTimer(cut));
    closed();
  }

  private void closed() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(keepAlive);
    drainWaiters.clear();
    List<Runnable> handlers = List.copyOf(closeHandlers);
    closeHandlers.clear();
    handlers.forEach(Runnable::run);
  }
}
