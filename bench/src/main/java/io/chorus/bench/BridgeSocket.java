package io.chorus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One raw bridge WebSocket ({@code /eventbus/websocket?token=}) speaking the contract's frames: requests
 * with a replyAddress resolved by the matching {@code rec}/{@code err}, {@code register}, and a
 * {@code ping} every {@link #PING_MS} (the gateway closes sockets silent for 30 s). Room events go to the
 * event handler, called on the socket's event loop.
 */
public final class BridgeSocket {
  static final long PING_MS = 8_000;

  private final Vertx vertx;
  private final Context context;
  private final WebSocket ws;
  private final Map<String, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextReply = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile Consumer<JsonObject> events = e -> { };
  private volatile boolean closed;
  private long pingTimer = -1;

  /** A request answered with an {@code err} frame. */
  public static final class BridgeError extends RuntimeException {
    public final int code;

    BridgeError(int code, String message) {
      super(code + ": " + message, null, false, false);
      this.code = code;
    }
  }

  private BridgeSocket(Vertx vertx, Context context, WebSocket ws) {
    this.vertx = vertx;
    this.context = context;
    this.ws = ws;
  }

  public static Future<BridgeSocket> connect(Vertx vertx, WebSocketClient client, String host, int port, String token) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(host).setPort(port)
        .setURI("/eventbus/websocket?token=" + token);
    return client.connect(options).map(ws -> {
      // Handlers are set here, on the socket's event loop, before any frame can be read.
      BridgeSocket socket = new BridgeSocket(vertx, vertx.getOrCreateContext(), ws);
      ws.handler(buffer -> socket.onFrame(buffer.toJsonObject()));
      ws.closeHandler(v -> socket.onClose());
      // Spread pings so thousands of idle sockets do not ping in the same instant.
      long first = 1 + ThreadLocalRandom.current().nextLong(PING_MS);
      socket.pingTimer = vertx.setTimer(first, id -> socket.startPinging());
      return socket;
    });
  }

  private void startPinging() {
    if (closed) {
      return;
    }
    ping();
    pingTimer = vertx.setPeriodic(PING_MS, id -> ping());
  }

  private void ping() {
    if (!closed) {
      ws.writeTextMessage("{\"type\":\"ping\"}");
    }
  }

  /** The socket's event loop: work about this socket runs there, next to its frames. */
  public Context context() {
    return context;
  }

  public void onEvent(Consumer<JsonObject> handler) {
    this.events = handler;
  }

  private void onFrame(JsonObject frame) {
    String type = frame.getString("type");
    String address = frame.getString("address");
    Promise<JsonObject> reply = address == null ? null : pending.remove(address);
    if (reply != null) {
      if ("err".equals(type)) {
        reply.tryFail(new BridgeError(frame.getInteger("failureCode", -1), frame.getString("message")));
      } else {
        reply.tryComplete(frame.getJsonObject("body"));
      }
    } else if ("err".equals(type)) {
      refused.incrementAndGet();
    } else if ("rec".equals(type) && frame.getValue("body") instanceof JsonObject body) {
      events.accept(body);
    }
  }

  private void onClose() {
    closed = true;
    vertx.cancelTimer(pingTimer);
    pending.values().forEach(p -> p.tryFail(new BridgeError(-1, "socket closed")));
    pending.clear();
  }

  /** A request frame; the future completes with the reply body or fails with {@link BridgeError}. */
  public Future<JsonObject> request(String address, JsonObject body) {
    if (closed) {
      return Future.failedFuture(new BridgeError(-1, "socket closed"));
    }
    String replyAddress = "r" + nextReply.incrementAndGet();
    Promise<JsonObject> reply = Promise.promise();
    pending.put(replyAddress, reply);
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("headers", new JsonObject())
        .put("body", body).put("replyAddress", replyAddress);
    ws.writeTextMessage(frame.encode()).onFailure(err -> {
      Promise<JsonObject> p = pending.remove(replyAddress);
      if (p != null) {
        p.tryFail(err);
      }
    });
    return reply.future();
  }

  /** {@code register} then {@code client.conversation.join}: once joined, every later room event reaches us. */
  public Future<JsonObject> enterRoom(String conversationId) {
    ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "client.room." + conversationId)
        .put("headers", new JsonObject()).encode());
    return request("client.conversation.join", new JsonObject().put("conversationId", conversationId));
  }

  public boolean isClosed() {
    return closed;
  }

  /** Frames the gateway refused without a reply address ({@code access_denied}, {@code rejected}, ...). */
  public long refused() {
    return refused.get();
  }

  public Future<Void> close() {
    vertx.cancelTimer(pingTimer);
    return closed ? Future.succeededFuture() : ws.close();
  }
}
