package io.chorus.gateway.files;

import io.chorus.gateway.http.HttpReplies;
import io.chorus.model.files.DownloadTicket;
import io.chorus.model.files.FileInfo;
import io.chorus.model.files.FileRef;
import io.chorus.model.files.OpenDownload;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download, streamed from storage: metadata first (membership, 304 on a matching ETag, the range),
 * then chunk after chunk, each asked for only once the HTTP response's write queue has room, so a slow
 * client slows the reads instead of filling the gateway's memory.
 */
public final class DownloadRelay {
  private static final Logger log = LoggerFactory.getLogger(DownloadRelay.class);

  private final RoutingContext ctx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final StorageFiles storage;
  private DownloadTicket ticket;
  private long remaining;
  private boolean gone;

  DownloadRelay(RoutingContext ctx, StorageFiles storage) {
    this.ctx = ctx;
    this.request = ctx.request();
    this.response = ctx.response();
    this.storage = storage;
  }

  public void start(String fileId, String userId) {
    // Fails when the connection closes before the response ended: stop reading for a client that left.
    ctx.addEndHandler(ended -> {
      if (ended.failed()) {
        gone = true;
        if (ticket != null && remaining > 0) {
          storage.close(ticket);
        }
      }
    });
    storage.get(new FileRef(fileId, userId))
        .onSuccess(info -> respond(info, userId))
        .onFailure(err -> HttpReplies.fail(ctx, err));
  }

  private void respond(FileInfo info, String userId) {
    String etag = DownloadHeaders.etag(info.sha256());
    response.putHeader(HttpHeaders.ETAG, etag)
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
        .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache")
        .putHeader("X-Content-Type-Options", "nosniff");
    if (DownloadHeaders.matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
      response.setStatusCode(304).end();
      return;
    }
    String ifRange = request.getHeader("If-Range");
    // A range of another version of the file would be wrong: then the whole file is sent.
    String rangeHeader = ifRange == null || ifRange.trim().equals(etag) ? request.getHeader("Range") : null;
    ByteRange range = ByteRange.parse(rangeHeader, info.size());
    if (range.kind() == ByteRange.Kind.UNSATISFIABLE) {
      response.putHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(info.size()));
      HttpReplies.json(ctx, 416, new JsonObject().put("error", "range not satisfiable").put("code", 416));
      return;
    }
    if (range.length() == 0) {
      headers(info, range).end();
      return;
    }
    storage.open(new OpenDownload(info.fileId(), userId, range.start(), range.length()))
        .onSuccess(opened -> {
          ticket = opened;
          remaining = range.length();
          if (gone) {
            storage.close(ticket);
            return;
          }
          headers(info, range);
          pump();
        })
        .onFailure(err -> HttpReplies.fail(ctx, err));
  }

  private HttpServerResponse headers(FileInfo info, ByteRange range) {
    response.putHeader(HttpHeaders.CONTENT_TYPE, info.contentType())
        .putHeader(HttpHeaders.CONTENT_DISPOSITION,
            DownloadHeaders.contentDisposition(info.contentType(), info.filename()))
        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(range.length()))
        .putHeader("Content-Security-Policy", DownloadHeaders.SANDBOX);
    if (range.kind() == ByteRange.Kind.PARTIAL) {
      response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(info.size()));
    }
    return response;
  }

  private void pump() {
    storage.read(ticket).onComplete(ar -> {
      if (gone) {
        return;
      }
      Buffer chunk = ar.succeeded() ? ar.result() : null;
      if (chunk == null || chunk.length() == 0 || chunk.length() > remaining) {
        // The status line may be out already: cutting the connection is the only honest signal left.
        log.warn("download {} failed with {} bytes to go: {}", ticket.downloadId(), remaining,
            ar.failed() ? ar.cause().toString() : "unexpected chunk");
        storage.close(ticket);
        RefusedBody.cutOff(ctx);
        return;
      }
      remaining -= chunk.length();
      response.write(chunk);
      if (remaining == 0) {
        response.end();
      } else if (response.writeQueueFull()) {
        response.drainHandler(v -> pump());
      } else {
        pump();
      }
    });
  }
}
