package io.chorus.systemtests.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A client of the raw bridge WebSocket ({@code /eventbus/websocket?token=}) that speaks the bridge's
 * JSON frames exactly as the contract describes, as any non-browser client would. Replies resolve the
 * matching request; every other frame is queued for the test to await.
 */
public final class BridgeClient implements AutoCloseable {
  private final Vertx vertx;
  private final WebSocketClient client;
  private final WebSocket socket;
  private final Map<String, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  private final Map<String, Promise<JsonObject>> rawReplies = new ConcurrentHashMap<>();
  /** Event bodies not taken by the test yet, in arrival order; an await takes the first match only. */
  private final List<JsonObject> inbox = new ArrayList<>();
  private final ReentrantLock inboxLock = new ReentrantLock();
  private final Condition arrived = inboxLock.newCondition();
  private final BlockingQueue<JsonObject> errors = new LinkedBlockingQueue<>();
  private final long pingTimer;
  private volatile boolean closed;
  private volatile Short closeStatus;

  /** A failed request: the {@code err} frame's code and message. */
  public static final class BridgeError extends RuntimeException {
    public final int code;

    BridgeError(int code, String message) {
      super(code + ": " + message, null, false, false);
      this.code = code;
    }
  }

  private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    this.pingTimer = vertx.setPeriodic(5_000, id -> send(new JsonObject().put("type", "ping")));
  }

  public static BridgeClient connect(Vertx vertx, int port, String token) {
    return Wait.on(connectAsync(vertx, port, token), 10);
  }

  public static Future<BridgeClient> connectAsync(Vertx vertx, int port, String token) {
    // Events may be as large as the frames the gateway accepts (a message of MAX_FRAME_BYTES) and come as one
    // frame: above the client's default limits (64 KiB a frame, 256 KiB a message).
    WebSocketClient client = vertx.createWebSocketClient(
        new WebSocketClientOptions().setMaxFrameSize(4 << 20).setMaxMessageSize(4 << 20));
    String uri = "/eventbus/websocket" + (token == null ? "" : "?token=" + token);
    Promise<BridgeClient> ready = Promise.promise();
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
        .onSuccess(ws -> {
          // Handlers are set in onSuccess so no frame is missed.
          BridgeClient bridge = new BridgeClient(vertx, client, ws);
          ws.handler(buffer -> bridge.onFrame(new JsonObject(buffer.toString())));
          ws.closeHandler(v -> {
            bridge.closeStatus = ws.closeStatusCode();
            bridge.closed = true;
          });
          ready.complete(bridge);
        })
        .onFailure(err -> {
          client.close();
          ready.fail(err);
        });
    return ready.future();
  }

  private void onFrame(JsonObject frame) {
    String type = frame.getString("type");
    String address = frame.getString("address");
    Promise<JsonObject> request = address == null ? null : pending.remove(address);
    Promise<JsonObject> raw = address == null ? null : rawReplies.remove(address);
    if (raw != null) {
      raw.complete(frame);
    } else if (request != null) {
      if ("err".equals(type)) {
        request.fail(new BridgeError(frame.getInteger("failureCode", -1), frame.getString("message")));
      } else {
        request.complete(frame.getJsonObject("body"));
      }
    } else if ("err".equals(type)) {
      errors.add(frame);
    } else if (frame.getJsonObject("body") != null) {
      inboxLock.lock();
      try {
        inbox.add(frame.getJsonObject("body"));
        arrived.signalAll();
      } finally {
        inboxLock.unlock();
      }
    }
  }

  /** Stops sending pings, as a client whose network silently died would. */
  public void stopPinging() {
    vertx.cancelTimer(pingTimer);
  }

  public void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
  }

  public void sendText(String raw) {
    socket.writeTextMessage(raw);
  }

  public Future<JsonObject> request(String address, Object body) {
    return request(address, body, new JsonObject());
  }

  /** Sends a request frame; {@code body} may be any JSON value, to test what the gateway refuses. */
  public Future<JsonObject> request(String address, Object body, JsonObject headers) {
    String replyAddress = UUID.randomUUID().toString();
    Promise<JsonObject> reply = Promise.promise();
    pending.put(replyAddress, reply);
    send(new JsonObject().put("type", "send").put("address", address).put("headers", headers).put("body", body)
        .put("replyAddress", replyAddress));
    return reply.future();
  }

  /** Sends and waits for the reply; a failure is thrown as {@link BridgeError}. */
  public JsonObject call(String address, Object body) {
    return Wait.on(request(address, body), 15);
  }

  /** The code of the {@code err} reply the request is expected to get. */
  public int failureCode(String address, Object body) {
    try {
      JsonObject reply = call(address, body);
      throw new AssertionError("expected a failure, got " + reply);
    } catch (BridgeError e) {
      return e.code;
    }
  }

  /**
   * Sends a frame of the test's own making, as text, and waits for the frame (reply or {@code err}) that
   * comes back to {@code replyAddress}, which the text must name.
   */
  public JsonObject sendTextAndAwaitReply(String raw, String replyAddress) {
    Promise<JsonObject> frame = Promise.promise();
    rawReplies.put(replyAddress, frame);
    sendText(raw);
    return Wait.on(frame.future(), 15);
  }

  public void register(String address) {
    send(new JsonObject().put("type", "register").put("address", address).put("headers", new JsonObject()));
  }

  /** Registers for a room and joins it: once the join reply is in, the room's events reach this socket. */
  public JsonObject enter(String conversationId) {
    register("client.room." + conversationId);
    return call("client.conversation.join", new JsonObject().put("conversationId", conversationId));
  }

  /** The first event (in arrival order) that matches; events that do not match stay for later awaits. */
  public JsonObject awaitEvent(Predicate<JsonObject> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    inboxLock.lock();
    try {
      int checked = 0;
      while (true) {
        for (int i = checked; i < inbox.size(); i++) {
          if (matching.test(inbox.get(i))) {
            return inbox.remove(i);
          }
        }
        checked = inbox.size();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching event within " + timeout);
        }
        arrived.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      inboxLock.unlock();
    }
  }

  public JsonObject awaitEvent(String type) {
    return awaitEvent(e -> type.equals(e.getString("type")), Duration.ofSeconds(15));
  }

  /** Collects the next {@code count} events that match, in arrival order. */
  public List<JsonObject> awaitEvents(Predicate<JsonObject> matching, int count, Duration timeout) {
    List<JsonObject> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.size() < count) {
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      out.add(awaitEvent(matching, left));
    }
    return out;
  }

  /**
   * Follows one answer until its terminal event ({@code ai_response_complete} or {@code ai_response_error}),
   * handing each of its chunks to {@code onChunk} in arrival order; returns the terminal event.
   */
  public JsonObject followStream(String streamId, Consumer<JsonObject> onChunk, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      JsonObject event = awaitEvent(e -> streamId.equals(e.getString("streamId")), left);
      String type = event.getString("type");
      if ("ai_response_chunk".equals(type)) {
        onChunk.accept(event);
      } else if ("ai_response_complete".equals(type) || "ai_response_error".equals(type)) {
        return event;
      }
    }
  }

  /** The types of the next {@code count} presence events ({@code user_joined}, {@code user_left}) of a user. */
  public List<String> presenceEvents(String userId, int count, Duration timeout) {
    return awaitEvents(e -> userId.equals(e.getString("userId"))
            && ("user_joined".equals(e.getString("type")) || "user_left".equals(e.getString("type"))), count, timeout)
        .stream().map(e -> e.getString("type")).toList();
  }

  /** The usernames of a join reply's {@code online} list, without the tests' unique suffixes. */
  public static List<String> usernames(JsonArray online) {
    return online.stream().map(o -> ((JsonObject) o).getString("username").replaceAll("_.*", "")).toList();
  }

  /** The next address-less {@code err} frame (a refused frame), e.g. {@code access_denied}. */
  public JsonObject awaitError() {
    try {
      JsonObject err = errors.poll(15, TimeUnit.SECONDS);
      if (err == null) {
        throw new AssertionError("no err frame arrived");
      }
      return err;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Events received and not yet awaited. */
  public List<JsonObject> drainEvents() {
    inboxLock.lock();
    try {
      List<JsonObject> out = new ArrayList<>(inbox);
      inbox.clear();
      return out;
    } finally {
      inboxLock.unlock();
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** The status of the server's close frame, or null when the connection ended without one (1006). */
  public Short closeStatus() {
    return closeStatus;
  }

  @Override
  public void close() {
    vertx.cancelTimer(pingTimer);
    if (!closed) {
      Wait.on(socket.close(), 10);
    }
    client.close();
  }
}
