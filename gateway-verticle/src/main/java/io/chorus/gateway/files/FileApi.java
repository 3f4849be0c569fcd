package io.chorus.gateway.files;

import io.chorus.gateway.ClusterClient;
import io.chorus.gateway.GatewayConfig;
import io.chorus.gateway.http.HttpReplies;
import io.chorus.gateway.http.TokenService;
import io.chorus.model.Ids;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.RateLimiter;
import io.chorus.model.files.BeginUpload;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The file endpoints of the contract: {@code POST /api/conversations/{id}/files} (a multipart upload,
 * streamed to storage by {@link UploadRelay}) and {@code GET /api/files/{fileId}} (streamed back by
 * {@link DownloadRelay}). The cheap refusals come before anything is read: 404 for a malformed id, 400
 * for a body that is not multipart, 413 for a declared length over {@code MAX_UPLOAD_BYTES} plus the
 * envelope, 429 over {@code UPLOAD_RATE_PER_MINUTE}; membership (403/404) and the user's limits (429 too
 * many uploads in progress, 413 quota full) are storage's first answer.
 */
public final class FileApi {
  public static final String UPLOAD_PATH = "/api/conversations/:id/files";
  public static final String DOWNLOAD_PATH = "/api/files/:fileId";
  private static final Pattern UPLOAD = Pattern.compile("/api/conversations/[^/]+/files/?");
  /**
   * Room for the multipart envelope and the text field beyond the file's limit: the bound of the whole
   * body, declared (Content-Length) or streamed (chunked).
   */
  static final long ENVELOPE_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final StorageFiles storage;
  private final long maxUploadBytes;
  /** The text that goes with a file: as long as a chat message may be ({@code CHAT_MAX_TEXT}). */
  private final int maxTextLength;
  private final long maxBodyBytes;
  /** {@code UPLOAD_RATE_PER_MINUTE} per user on this gateway. */
  private final RateLimiter limiter;

  public FileApi(Vertx vertx, ClusterClient cluster, GatewayConfig config) {
    this.vertx = vertx;
    this.storage = new StorageFiles(cluster);
    this.maxUploadBytes = config.maxUploadBytes();
    this.maxTextLength = config.maxTextLength();
    this.maxBodyBytes = maxUploadBytes > Long.MAX_VALUE - ENVELOPE_BYTES
        ? Long.MAX_VALUE : maxUploadBytes + ENVELOPE_BYTES;
    this.limiter = RateLimiter.perMinute(config.uploadsPerMinute(), System::nanoTime);
  }

  /** Wraps the API's BodyHandler so that it never buffers an upload: that route streams its body. */
  public static Handler<RoutingContext> exceptUploads(Handler<RoutingContext> bodyHandler) {
    return ctx -> {
      if (ctx.request().method() == HttpMethod.POST && UPLOAD.matcher(ctx.normalizedPath()).matches()) {
        ctx.next();
      } else {
        bodyHandler.handle(ctx);
      }
    };
  }

  public void upload(RoutingContext ctx) {
    String userId = TokenService.userId(ctx.user());
    // A path id that is not a UUID names nothing: 404, like an unknown one.
    String conversationId = Ids.canonicalOrNull(ctx.pathParam("id"));
    String boundary = MultipartParser.boundary(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
    long declared = declaredLength(ctx);
    ChorusException refusal = null;
    if (conversationId == null) {
      refusal = ChorusException.notFound("no such conversation");
    } else if (boundary == null) {
      refusal = ChorusException.badRequest("the body must be multipart/form-data with a field named file");
    } else if (declared > maxBodyBytes) {
      refusal = new ChorusException(ErrorCode.TOO_LARGE, "file is larger than " + maxUploadBytes + " bytes");
    } else if (!limiter.tryAcquire(userId)) {
      refusal = new ChorusException(ErrorCode.RATE_LIMITED, "too many uploads, try again later");
    }
    if (refusal != null) {
      boolean waitsForContinue = "100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT));
      RefusedBody.answer(vertx, ctx, refusal, !waitsForContinue);
      return;
    }
    new UploadRelay(vertx, ctx, storage, boundary, maxUploadBytes, maxBodyBytes, maxTextLength)
        .start(new BeginUpload(conversationId, userId));
  }

  public void download(RoutingContext ctx) {
    String fileId = Ids.canonicalOrNull(ctx.pathParam("fileId"));
    if (fileId == null) {
      HttpReplies.fail(ctx, ChorusException.notFound("no such file"));
      return;
    }
    new DownloadRelay(ctx, storage).start(fileId, TokenService.userId(ctx.user()));
  }

  /** The declared body length, or -1 when the body is chunked or the header is not a number. */
  private static long declaredLength(RoutingContext ctx) {
    try {
      String value = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
