package io.chorus.llm.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * What the fake provider servers ({@link FakeOpenAiServer}, {@link FakeAnthropicServer}) share: a real
 * HTTP server on 127.0.0.1 (random port) with one streaming endpoint, the script of what following
 * requests get (an answer, a failure status, an error mid-stream, the first N requests failing, a slow
 * start, answers held open until the test releases them), the requests it received and the streams the
 * client aborted. Subclasses validate requests the
 * way their API does and write its wire format. Safe to script and inspect from the test thread.
 */
public abstract class FakeSseServer {
  /** The answer until a test scripts another one. */
  public static final List<String> DEFAULT_DELTAS = List.of("Hello", " from the", " fake model.");

  /** What following requests get. */
  protected record Script(List<String> deltas, long delayMs, int failStatus, String failBody, boolean errorAtEnd) {}

  /** A refused request: its status and the provider-shaped error message. */
  protected record Rejection(int status, String message) {}

  protected final Vertx vertx;
  private final String path;
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  private final AtomicInteger aborted = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failFirstStatus;
  private volatile long firstByteDelayMs;
  private volatile boolean closing;
  private volatile Script script = new Script(DEFAULT_DELTAS, 0, 0, null, false);
  /** Guards {@link #holding} and {@link #held}: an answer is either held or goes on, never lost between. */
  private final Object holdLock = new Object();
  private boolean holding;
  private final List<Held> held = new ArrayList<>();
  private HttpServer server;

  /** An answer that sent its headers and opening frames and waits to be released. */
  private record Held(JsonObject request, Runnable resume) {}

  protected FakeSseServer(Vertx vertx, String path) {
    this.vertx = vertx;
    this.path = path;
  }

  protected final Future<Void> listen() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").mapEmpty();
  }

  /** The {@code LLM_BASE_URL} to configure, {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** Following requests stream these deltas, {@code delayBetweenMs} apart (0: all at once). */
  public void answerWith(List<String> deltas, long delayBetweenMs) {
    script = new Script(List.copyOf(deltas), delayBetweenMs, 0, null, false);
  }

  /** Following requests fail with this status and body, as the provider does for a bad key or an outage. */
  public void failWith(int httpStatus, String body) {
    script = new Script(List.of(), 0, httpStatus, body, false);
  }

  /** Following requests stream these deltas, then the provider's error event, then close the response. */
  public void failMidStream(List<String> deltasBeforeError) {
    script = new Script(List.copyOf(deltasBeforeError), 0, 0, null, true);
  }

  /**
   * The next {@code requests} requests fail with {@code httpStatus} and the provider's error body; the
   * ones after them get the current script. For testing retries.
   */
  public void failFirst(int requests, int httpStatus) {
    failFirstStatus = httpStatus;
    failuresLeft.set(requests);
  }

  /** Following requests wait this long before the status line and headers are sent (0: none). */
  public void firstByteDelayMs(long delayMs) {
    firstByteDelayMs = delayMs;
  }

  /**
   * Following answers send their headers and opening frames (no text yet), then stay open until released
   * ({@link #releaseOldest}, {@link #releaseWhere}, {@link #releaseAll}): they hold the client's stream, as
   * a slow model does, for as long as the test wants.
   */
  public void holdAnswers() {
    synchronized (holdLock) {
      holding = true;
    }
  }

  /** How many answers are held now. */
  public int heldAnswers() {
    synchronized (holdLock) {
      return held.size();
    }
  }

  /** Lets the oldest held answer go on with its script; false when none is held. */
  public boolean releaseOldest() {
    return releaseWhere(request -> true);
  }

  /** Lets the oldest held answer whose request body matches go on; false when none does. */
  public boolean releaseWhere(Predicate<JsonObject> request) {
    Held chosen = null;
    synchronized (holdLock) {
      for (Held h : held) {
        if (request.test(h.request())) {
          chosen = h;
          break;
        }
      }
      if (chosen != null) {
        held.remove(chosen);
      }
    }
    if (chosen == null) {
      return false;
    }
    chosen.resume().run();
    return true;
  }

  /** Stops holding: every held answer, and every later one, goes on. */
  public void releaseAll() {
    List<Held> all;
    synchronized (holdLock) {
      holding = false;
      all = List.copyOf(held);
      held.clear();
    }
    all.forEach(h -> h.resume().run());
  }

  /** The request bodies received so far, oldest first (copies). */
  public List<JsonObject> requests() {
    return requests.stream().map(JsonObject::copy).toList();
  }

  /** The headers of each request received so far, names in lower case, oldest first. */
  public List<Map<String, String>> requestHeaders() {
    return List.copyOf(headers);
  }

  /** How many streams the client closed before the server ended them. */
  public int abortedStreams() {
    return aborted.get();
  }

  public Future<Void> close() {
    closing = true; // streams cut by our own close are not the client's aborts
    return server.close();
  }

  /** Why this request would be refused by the real API, or null when it is acceptable. */
  protected abstract Rejection validate(HttpServerRequest request, JsonObject body);

  /** The API's JSON error body for {@code status}. */
  protected abstract String errorBody(int status, String message);

  /** The events before the first delta, each a complete SSE frame. */
  protected abstract List<String> openingFrames(JsonObject body, String id);

  protected abstract String deltaFrame(JsonObject body, String id, String text);

  /** The events after the last delta of a successful answer. */
  protected abstract List<String> closingFrames(JsonObject body, String id, int deltaCount);

  protected abstract String errorFrame();

  /** One SSE frame: an optional {@code event:} line, one {@code data:} line, a blank line. */
  protected static String frame(String event, JsonObject data) {
    return (event == null ? "" : "event: " + event + "\n") + "data: " + data.encode() + "\n\n";
  }

  /** Prompt tokens as the fakes count them: a quarter of the characters of every text, rounded up. */
  protected static int tokens(int chars) {
    return (chars + 3) / 4;
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.POST || !request.path().equals(path)) {
      request.response().setStatusCode(404).end();
      return;
    }
    Map<String, String> received = new TreeMap<>();
    request.headers().forEach((name, value) -> received.put(name.toLowerCase(Locale.ROOT), value));
    request.body().onSuccess(buffer -> {
      JsonObject body;
      try {
        body = buffer.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        reply(request.response(), 400, errorBody(400, "invalid JSON body"));
        return;
      }
      requests.add(body);
      headers.add(received);
      Script current = script;
      long delay = firstByteDelayMs;
      if (delay > 0) {
        vertx.setTimer(delay, t -> respond(request, body, current));
      } else {
        respond(request, body, current);
      }
    });
  }

  private void respond(HttpServerRequest request, JsonObject body, Script current) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      if (!closing) {
        aborted.incrementAndGet(); // the client gave up during the slow start
      }
      return;
    }
    Rejection rejection = validate(request, body);
    if (rejection != null) {
      reply(response, rejection.status(), errorBody(rejection.status(), rejection.message()));
    } else if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      int status = failFirstStatus;
      reply(response, status, errorBody(status, "The fake server fails this request on purpose."));
    } else if (current.failStatus() != 0) {
      reply(response, current.failStatus(), current.failBody() == null ? "" : current.failBody());
    } else {
      new FakeStream(response, body, current).begin();
    }
  }

  private static void reply(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  /** One streamed answer, written frame by frame on the server's event loop. */
  private final class FakeStream {
    private final HttpServerResponse response;
    private final JsonObject body;
    private final Script script;
    private final String id = Integer.toString(ids.incrementAndGet());
    private int next;
    private boolean ended;

    FakeStream(HttpServerResponse response, JsonObject body, Script script) {
      this.response = response;
      this.body = body;
      this.script = script;
    }

    void begin() {
      response.setChunked(true)
          .putHeader("content-type", "text/event-stream")
          .putHeader("cache-control", "no-cache")
          .closeHandler(v -> {
            if (!ended) {
              ended = true;
              if (!closing) {
                aborted.incrementAndGet();
              }
            }
          });
      openingFrames(body, id).forEach(this::write); // also sends the headers now
      Context context = Vertx.currentContext();
      synchronized (holdLock) {
        if (holding) {
          held.add(new Held(body, () -> context.runOnContext(v -> step())));
          return;
        }
      }
      step();
    }

    private void step() {
      while (!ended && next < script.deltas().size()) {
        write(deltaFrame(body, id, script.deltas().get(next++)));
        if (script.delayMs() > 0) {
          vertx.setTimer(script.delayMs(), t -> step());
          return;
        }
      }
      if (!ended) {
        if (script.errorAtEnd()) {
          write(errorFrame());
        } else {
          closingFrames(body, id, script.deltas().size()).forEach(this::write);
        }
        ended = true;
        response.end();
      }
    }

    private void write(String frame) {
      if (!response.closed()) {
        response.write(frame);
      }
    }
  }
}
