package io.chorus.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * An OpenAI-compatible model on 127.0.0.1 that streams every answer as {@code tokens} tokens at
 * {@code tokensPerSecond}, each token carrying its index and emission time ({@link TokenCodec}), so the
 * stream scenario can measure what the server adds between the provider and the client. It runs in the
 * load tool's JVM, sharing its clock with the receiving sockets.
 */
public final class FakeProvider {
  private final Vertx vertx;
  /** Tokens per answer for answers asked from now on. */
  private volatile int tokens;
  private final long periodNanos;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong emitted = new AtomicLong();
  private final AtomicLong aborted = new AtomicLong();
  private final List<HttpServer> servers = new ArrayList<>();
  private volatile LongConsumer onRequest = t -> { };

  public FakeProvider(Vertx vertx, int tokens, int tokensPerSecond) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.periodNanos = 1_000_000_000L / tokensPerSecond;
  }

  /**
   * Listens on {@code port} of 127.0.0.1 (0: a free one) with one server per event loop of the tool, so
   * hundreds of streams are not written from one loop (Vert.x shares a port between servers of several
   * contexts); the future holds the base URL to give as LLM_BASE_URL.
   */
  public Future<String> start(int port, EventLoops loops) {
    // Vert.x shares a port only between servers asking for the same number: pick the free port first.
    int actual;
    try {
      actual = port != 0 ? port : freePort();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    Future<Integer> all = Future.succeededFuture(actual);
    for (int i = 0; i < loops.size(); i++) {
      int loop = i;
      all = all.compose(p -> loops.on(loop, () -> listen(actual)));
    }
    return all.map(p -> "http://127.0.0.1:" + actual + "/v1");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private Future<Integer> listen(int port) {
    HttpServer server = vertx.createHttpServer();
    server.requestHandler(this::handle);
    synchronized (servers) {
      servers.add(server);
    }
    return server.listen(port, "127.0.0.1").map(HttpServer::actualPort);
  }

  public Future<Void> stop() {
    synchronized (servers) {
      return Future.join(servers.stream().map(HttpServer::close).toList()).mapEmpty();
    }
  }

  /** Called with the arrival time ({@link System#nanoTime()}) of each streaming request. */
  public void onRequest(LongConsumer listener) {
    this.onRequest = listener;
  }

  public long requests() {
    return requests.get();
  }

  /** Answers asked from now on get {@code tokens} tokens (a warm-up's shorter answers, say). */
  public void answerWith(int tokens) {
    this.tokens = tokens;
  }

  public long tokensEmitted() {
    return emitted.get();
  }

  /** Answers whose connection closed before the last token (the server stopped reading). */
  public long aborted() {
    return aborted.get();
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().equals("/v1/chat/completions")) {
      request.response().setStatusCode(404).end();
      return;
    }
    long arrival = System.nanoTime();
    request.body().onSuccess(body -> {
      JsonObject json;
      try {
        json = body.toJsonObject();
      } catch (RuntimeException e) {
        request.response().setStatusCode(400).end();
        return;
      }
      if (!json.getBoolean("stream", false)) {
        request.response().setStatusCode(400).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", new JsonObject().put("message", "only streaming")
                .put("type", "invalid_request_error")).encode());
        return;
      }
      requests.incrementAndGet();
      onRequest.accept(arrival);
      boolean usage = json.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false);
      new Answer(request.response(), json.getString("model", "bench-fake"), usage).begin();
    });
  }

  /** One streamed answer, paced by an open-loop {@link Schedule} so timer jitter does not lower the rate. */
  private final class Answer {
    /** Fixed when the answer is asked, whatever {@link #answerWith} sets meanwhile. */
    private final int tokens = FakeProvider.this.tokens;
    private final HttpServerResponse response;
    private final boolean usage;
    private final SseFrames frames;
    private Schedule schedule;
    private int next;
    private long timer = -1;
    private boolean closed;

    Answer(HttpServerResponse response, String model, boolean usage) {
      this.response = response;
      this.usage = usage;
      this.frames = new SseFrames(Long.toHexString(requests.get()), model, System.currentTimeMillis() / 1000);
    }

    void begin() {
      response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
      response.closeHandler(v -> {
        closed = true;
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
        if (next < tokens) {
          aborted.incrementAndGet();
        }
      });
      response.write(frames.role());
      long now = System.nanoTime();
      schedule = new Schedule(now, periodNanos, now + periodNanos * tokens);
      emitDue();
    }

    private void emitDue() {
      timer = -1;
      if (closed) {
        return;
      }
      int due = schedule.takeDue(System.nanoTime());
      for (int i = 0; i < due; i++) {
        response.write(frames.delta(TokenCodec.encode(next++, System.nanoTime())));
        emitted.incrementAndGet();
      }
      if (schedule.finished()) {
        response.write(frames.finish("stop"));
        if (usage) {
          response.write(frames.usage(10, tokens));
        }
        response.end(SseFrames.DONE);
        return;
      }
      long delayMs = Math.max(1, schedule.delayToNext(System.nanoTime()) / 1_000_000);
      timer = vertx.setTimer(delayMs, id -> emitDue());
    }
  }
}
