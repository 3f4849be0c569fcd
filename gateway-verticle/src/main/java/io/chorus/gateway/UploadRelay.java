package io.chorus.gateway;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upload request, streamed to storage. The body stays paused until storage has checked membership
 * and opened the upload; then {@link MultipartParser} reads it as it arrives, {@link UploadForm} picks
 * out the file, and its bytes go to storage in chunks of {@link FileAddresses#CHUNK_BYTES} (plus at most
 * one network read), one at a time, the request paused while a chunk is in flight. Once the whole body is
 * in, commit with the optional text. So neither side holds more than a chunk. Any failure (over the
 * limit, client gone or silent, malformed body, storage error) aborts the upload, so storage keeps
 * nothing, and answers the client if it is still there.
 */
final class UploadRelay {
  private static final Logger log = LoggerFactory.getLogger(UploadRelay.class);
  /** A client that sends nothing for this long is cut off; storage would drop the upload later anyway. */
  private static final long STALL_MS = 60_000;

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
  private boolean over;
  private long stallTimer = -1;

  UploadRelay(Vertx vertx, RoutingContext ctx, StorageFiles storage, String boundary, long maxBytes,
      int maxTextCodePoints) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.request = ctx.request();
    this.storage = storage;
    this.form = new UploadForm(maxBytes, maxTextCodePoints, data -> pending.appendBuffer(data));
    this.parser = new MultipartParser(boundary, form);
    this.expectsContinue = "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
  }

  void start(BeginUpload begin) {
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
    if (pending.length() >= FileAddresses.CHUNK_BYTES) {
      // One chunk in flight at a time: the next network read waits for storage's reply.
      request.pause();
      flush().onSuccess(v -> {
        if (!over) {
          request.resume();
        }
      }).onFailure(this::fail);
    }
  }

  private Future<Void> flush() {
    if (pending.length() == 0) {
      return Future.succeededFuture();
    }
    Buffer chunk = pending;
    pending = newChunk();
    return storage.chunk(ticket, chunk);
  }

  private void onBodyEnd() {
    cancelStallTimer();
    if (over) {
      return;
    }
    if (!parser.done()) {
      fail(ChorusException.badRequest("the multipart body ended before its closing boundary"));
    } else if (!form.hasFile()) {
      fail(ChorusException.badRequest("a multipart field named " + UploadForm.FILE_FIELD + " is required"));
    } else {
      flush().compose(v -> storage.commit(ticket, new CommitUpload(form.filename(), form.text())))
          .onSuccess(result -> {
            if (!over) {
              over = true;
              HttpReplies.json(ctx, 201, result.toJson());
            }
          })
          .onFailure(this::fail);
    }
  }

  /** Ends the upload once: storage drops what it has, the client gets the error if it is still there. */
  private void fail(Throwable err) {
    if (over) {
      return;
    }
    over = true;
    cancelStallTimer();
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
      fail(ChorusException.badRequest("upload stalled"));
      RefusedBody.cutOff(ctx);
    });
  }

  private void cancelStallTimer() {
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }

  private static Buffer newChunk() {
    return Buffer.buffer(FileAddresses.CHUNK_BYTES + 64 * 1024);
  }
}
