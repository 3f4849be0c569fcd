package io.chorus.gateway.files;

import io.chorus.gateway.http.HttpReplies;
import io.chorus.model.ChorusException;
import io.chorus.model.files.BeginUpload;
import io.chorus.model.files.CommitUpload;
import io.chorus.model.files.FileAddresses;
import io.chorus.model.files.UploadTicket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upload request, streamed to storage. The body stays paused until storage has checked membership
 * and limits and opened the upload; then {@link MultipartParser} reads it as it arrives (the whole body
 * bounded), {@link UploadForm} picks out the file, and its bytes go to storage in chunks of
 * {@link FileAddresses#CHUNK_BYTES} (plus at most one network read), one at a time, the request paused
 * while a chunk is in flight. A slow client fills a chunk slowly: whatever has arrived (possibly nothing)
 * goes to storage anyway once a quarter of storage's idle time passed without a chunk, so storage, which
 * drops an upload it hears nothing of for that long (its gateway may have died), keeps a slow one. Once
 * the whole body is in, commit with the optional text. So neither side holds more than a chunk. Any
 * failure (over a limit, client gone or silent, malformed body, storage error) aborts the upload, so
 * storage keeps nothing, and answers the client if it is still there.
 */
public final class UploadRelay {
  private static final Logger log = LoggerFactory.getLogger(UploadRelay.class);
  /** A client that sends nothing for this long is cut off. */
  private static final long STALL_MS = 60_000;
  /** Storage's idle time is split in this many: one lost or slow keep-alive still leaves time for the next. */
  private static final int KEEP_ALIVES_PER_IDLE = 4;

  /** The client went away: nobody to answer. */
  private static final class ClientGone extends RuntimeException {
    ClientGone() {
      super("client closed the connection", null, false, false);
    }
  }

  private final Vertx vertx;
  private final RoutingContext ctx;
  private final HttpServerRequest request;
  private final StorageFiles storage;
  private final UploadForm form;
  private final MultipartParser parser;
  private final boolean expectsContinue;
  private UploadTicket ticket;
  private Buffer pending = newChunk();
  private boolean continued;
  /** A chunk is on its way to storage; the request is paused meanwhile. */
  private boolean sending;
  private boolean bodyEnded;
  private boolean over;
  private long lastSentNanos;
  private long stallTimer = -1;
  private long keepAliveTimer = -1;

  UploadRelay(Vertx vertx, RoutingContext ctx, StorageFiles storage, String boundary, long maxBytes,
      long maxBodyBytes, int maxTextCodePoints) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.request = ctx.request();
    this.storage = storage;
    this.form = new UploadForm(maxBytes, maxTextCodePoints, data -> pending.appendBuffer(data));
    this.parser = new MultipartParser(boundary, form, maxBodyBytes);
    this.expectsContinue = "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
  }

  public void start(BeginUpload begin) {
    // Nothing is read until storage says this user may upload here.
    request.pause();
    request.exceptionHandler(this::fail);
    // Fails when the connection closes before the response ended: the client is gone.
    ctx.addEndHandler(ended -> {
      if (ended.failed()) {
        fail(new ClientGone());
      }
    });
    storage.begin(begin).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      ticket = ar.result();
      if (over) {
        storage.abort(ticket);
        return;
      }
      request.handler(this::onBody);
      request.endHandler(v -> onBodyEnd());
      if (expectsContinue) {
        continued = true;
        ctx.response().writeContinue();
      }
      lastSentNanos = System.nanoTime();
      long keepAliveMs = Math.max(1, ticket.idleMs() / KEEP_ALIVES_PER_IDLE);
      keepAliveTimer = vertx.setPeriodic(keepAliveMs, t -> keepAlive(keepAliveMs));
      restartStallTimer();
      request.resume();
    });
  }

  private void onBody(Buffer data) {
    if (over) {
      return;
    }
    restartStallTimer();
    try {
      parser.feed(data);
    } catch (ChorusException e) {
      fail(e);
      return;
    }
    if (pending.length() >= FileAddresses.CHUNK_BYTES && !sending) {
      send();
    }
  }

  /** Storage has heard nothing from this upload for a while: send what there is, even nothing. */
  private void keepAlive(long keepAliveMs) {
    if (!over && !sending && !bodyEnded
        && System.nanoTime() - lastSentNanos >= TimeUnit.MILLISECONDS.toNanos(keepAliveMs)) {
      send();
    }
  }

  /** Sends what is pending as one chunk; the next network read waits for storage's reply. */
  private void send() {
    sending = true;
    request.pause();
    Buffer chunk = pending;
    pending = newChunk();
    lastSentNanos = System.nanoTime();
    storage.chunk(ticket, chunk).onComplete(ar -> {
      sending = false;
      if (over) {
        return;
      }
      if (ar.failed()) {
        fail(ar.cause());
      } else if (bodyEnded) {
        commit();
      } else if (pending.length() >= FileAddresses.CHUNK_BYTES) {
        send(); // filled up while a keep-alive was on its way
      } else {
        request.resume();
      }
    });
  }

  private void onBodyEnd() {
    cancelStallTimer();
    if (over) {
      return;
    }
    bodyEnded = true;
    if (!parser.done()) {
      fail(ChorusException.badRequest("the multipart body ended before its closing boundary"));
    } else if (!form.hasFile()) {
      fail(ChorusException.badRequest("a multipart field named " + UploadForm.FILE_FIELD + " is required"));
    } else if (!sending) {
      commit();
    }
  }

  /** The body is in and no chunk is in flight: the rest, then the commit. */
  private void commit() {
    cancelKeepAlive();
    CommitUpload commit;
    try {
      commit = new CommitUpload(form.filename(), form.text());
    } catch (ChorusException e) {
      fail(e);
      return;
    }
    Buffer last = pending;
    pending = Buffer.buffer();
    (last.length() == 0 ? Future.<Void>succeededFuture() : storage.chunk(ticket, last))
        .compose(v -> storage.commit(ticket, commit))
        .onSuccess(result -> {
          if (!over) {
            over = true;
            HttpReplies.json(ctx, 201, result.toJson());
          }
        })
        .onFailure(this::fail);
  }

  /** Ends the upload once: storage drops what it has, the client gets the error if it is still there. */
  private void fail(Throwable err) {
    if (over) {
      return;
    }
    over = true;
    cancelStallTimer();
    cancelKeepAlive();
    if (ticket != null) {
      storage.abort(ticket);
    }
    pending = Buffer.buffer();
    if (err instanceof ClientGone) {
      log.debug("upload cut off by the client after {} bytes", form.fileBytes());
      return;
    }
    RefusedBody.answer(vertx, ctx, err, !expectsContinue || continued);
  }

  private void restartStallTimer() {
    cancelStallTimer();
    stallTimer = vertx.setTimer(STALL_MS, t -> {
      fail(ChorusException.badRequest("upload stalled: nothing received for " + STALL_MS / 1000 + " s"));
      RefusedBody.cutOff(ctx);
    });
  }

  private void cancelStallTimer() {
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }

  private void cancelKeepAlive() {
    if (keepAliveTimer >= 0) {
      vertx.cancelTimer(keepAliveTimer);
      keepAliveTimer = -1;
    }
  }

  private static Buffer newChunk() {
    return Buffer.buffer(FileAddresses.CHUNK_BYTES + 64 * 1024);
  }
}
