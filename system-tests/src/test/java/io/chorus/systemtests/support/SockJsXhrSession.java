package io.chorus.systemtests.support;

import io.chorus.fixtures.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.UUID;

/**
 * A SockJS session over XHR streaming, as a browser without WebSocket opens one: a long POST to
 * {@code /eventbus/<server>/<session>/xhr_streaming} that the server writes frames into, and frames sent by
 * POSTing {@code xhr_send} to the same session URL. Any token may be used for any request, to test that
 * the gateway ties the session to its opener.
 */
public final class SockJsXhrSession implements AutoCloseable {
  private final HttpClient http;
  private final int port;
  public final String path;
  private final StringBuffer received = new StringBuffer();

  private SockJsXhrSession(Vertx vertx, int port) {
    this.http = vertx.createHttpClient();
    this.port = port;
    this.path = "/eventbus/000/" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Opens the stream with {@code token} and waits for the session's open frame. */
  public static SockJsXhrSession open(Vertx vertx, int port, String token) {
    SockJsXhrSession session = new SockJsXhrSession(vertx, port);
    // The body handler is set as the response arrives, so no chunk goes by before it.
    HttpClientResponse response = Wait.on(session.http.request(session.options("xhr_streaming", token))
        .compose(request -> request.send())
        .onSuccess(r -> r.handler(chunk -> session.received.append(chunk.toString()))), 15);
    if (response.statusCode() != 200) {
      throw new AssertionError("xhr_streaming answered " + response.statusCode());
    }
    session.awaitReceived("\no\n");
    return session;
  }

  /** POSTs to another transport URL of this session; returns the status and the body. */
  public Answer post(String transport, String token, JsonArray frames) {
    return Wait.on(http.request(options(transport, token)).compose(request -> {
      request.putHeader("content-type", "text/plain");
      return frames == null ? request.send() : request.send(Buffer.buffer(frames.encode()));
    }).compose(response -> response.body().map(body -> new Answer(response.statusCode(), body.toString()))), 15);
  }

  public record Answer(int status, String body) {}

  /** Waits until the stream has carried {@code text}. */
  public void awaitReceived(String text) {
    Wait.until("the stream carries " + text, Duration.ofSeconds(15), () -> received.indexOf(text) >= 0);
  }

  public String received() {
    return received.toString();
  }

  private RequestOptions options(String transport, String token) {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(path + "/" + transport + "?token=" + token);
  }

  @Override
  public void close() {
    http.close();
  }
}
