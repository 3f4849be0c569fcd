package io.chorus.systemtests.support;

import io.chorus.fixtures.Wait;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client as the protocol describes it (docs/protocol.md, HTTP-only clients): reads
 * {@code event:}, {@code id:} and {@code data:} lines, ignores comments, and hands each event to the test
 * thread in arrival order. {@link #ended()} tells when the server ended the answer.
 */
public final class SseClient implements AutoCloseable {
  /** One event: its type, its id ({@code null} when it carried none), its data. */
  public record Event(String type, String id, JsonObject data) {
    public long seq() {
      return data.getLong("seq");
    }
  }

  private final HttpClient http;
  private final BlockingQueue<Event> inbox = new LinkedBlockingQueue<>();
  private final List<Event> everything = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean ended;
  private volatile HttpClientRequest request;
  private volatile HttpClientResponse response;

  private SseClient(HttpClient http) {
    this.http = http;
  }

  /** {@code GET path} with the token (or none, for a ticket in the path); {@code lastEventId} may be null. */
  public static SseClient get(Vertx vertx, int port, String path, String token, String lastEventId) {
    RequestOptions options = options(port, path, token).setMethod(HttpMethod.GET);
    if (lastEventId != null) {
      options.putHeader("last-event-id", lastEventId);
    }
    return open(vertx, options, null);
  }

  /** {@code POST path} with a JSON body and {@code Accept: text/event-stream}. */
  public static SseClient post(Vertx vertx, int port, String path, String token, JsonObject body) {
    return open(vertx, options(port, path, token).setMethod(HttpMethod.POST)
        .putHeader("content-type", "application/json"), body.encode());
  }

  /** The status and body of a refused stream (anything but 200/201), for tests of refusals. */
  public static int refusedStatus(Vertx vertx, int port, String path, String token) {
    HttpClient http = vertx.createHttpClient();
    try {
      return Wait.on(http.request(options(port, path, token).setMethod(HttpMethod.GET))
          .compose(HttpClientRequest::send).compose(r -> r.body().map(b -> r.statusCode())), 15);
    } finally {
      http.close();
    }
  }

  private static RequestOptions options(int port, String path, String token) {
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setURI(path)
        .putHeader("accept", "text/event-stream");
    if (token != null) {
      options.putHeader("authorization", "Bearer " + token);
    }
    return options;
  }

  private static SseClient open(Vertx vertx, RequestOptions options, String body) {
    // A small receive buffer: a reader that stops reading (pauseReading) pushes back on the server soon.
    SseClient client = new SseClient(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setReceiveBufferSize(16 * 1024)));
    Future<HttpClientResponse> answered = client.http.request(options).compose(request -> {
      client.request = request;
      return body == null ? request.send() : request.send(body);
    });
    HttpClientResponse response = Wait.on(answered.compose(r -> {
      if (r.statusCode() / 100 != 2) {
        return r.body().compose(b -> Future.failedFuture(
            new AssertionError("stream refused: " + r.statusCode() + " " + b)));
      }
      client.parse(r);
      return Future.succeededFuture(r);
    }), 20);
    return client;
  }

  private void parse(HttpClientResponse response) {
    this.response = response;
    String[] type = {null};
    String[] id = {null};
    StringBuilder data = new StringBuilder();
    RecordParser lines = RecordParser.newDelimited("\n", line -> {
      String text = line.toString();
      if (text.isEmpty()) {
        if (!data.isEmpty()) {
          Event event = new Event(type[0] == null ? "message" : type[0], id[0], new JsonObject(data.toString()));
          everything.add(event);
          inbox.add(event);
        }
        type[0] = null;
        id[0] = null;
        data.setLength(0);
      } else if (text.startsWith("event: ")) {
        type[0] = text.substring(7);
      } else if (text.startsWith("id: ")) {
        id[0] = text.substring(4);
      } else if (text.startsWith("data: ")) {
        data.append(text.substring(6));
      }
    });
    response.handler(lines);
    response.endHandler(v -> ended = true);
    response.exceptionHandler(err -> ended = true);
  }

  /** The next event; fails the test after {@code timeout}. */
  public Event next(Duration timeout) {
    try {
      Event event = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        throw new AssertionError("no event within " + timeout + (ended ? " (the stream ended)" : ""));
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next event that matches, skipping others. */
  public Event await(Predicate<Event> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (wanted.test(event)) {
        return event;
      }
    }
  }

  public Event await(String type, Duration timeout) {
    return await(e -> e.type().equals(type), timeout);
  }

  /** Every event until the server ends the stream. */
  public List<Event> untilEnd(Duration timeout) {
    Wait.until("the event stream ends", timeout, () -> ended);
    List<Event> rest = new ArrayList<>();
    inbox.drainTo(rest);
    return rest;
  }

  /** Events already received, without waiting. */
  public List<Event> received() {
    List<Event> rest = new ArrayList<>();
    inbox.drainTo(rest);
    return rest;
  }

  /** Every event this stream has received, taken or not. */
  public List<Event> all() {
    synchronized (everything) {
      return List.copyOf(everything);
    }
  }

  /** The next event that is not presence ({@code user_joined}, {@code user_left}) or typing. */
  public Event nextOfTheRoom(Duration timeout) {
    return await(e -> !e.type().startsWith("user_"), timeout);
  }

  /** Stops reading from the connection, as a frozen tab would: the server's writes pile up. */
  public void pauseReading() {
    response.pause();
  }

  public void resumeReading() {
    response.resume();
  }

  public boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    HttpClientRequest open = request;
    if (open != null) {
      open.connection().close();
    }
    http.close();
  }
}
