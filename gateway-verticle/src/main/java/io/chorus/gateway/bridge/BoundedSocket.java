package io.chorus.gateway.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.SockJSSocketBase;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A bridge socket as the bridge and Chorus see it: every frame written to it counts until its transport has handed
 * it on, and a write that would take the count past a hard bound is not made; the socket is given up instead
 * ({@code onOverflow}, once, on the socket's context). {@link SocketOutbox} bounds what Chorus sends a socket, with
 * a softer bound and a notice; this bounds everything, the bridge's own frames too: it answers a frame that is not
 * JSON, has no type, or names an address it refuses straight to the socket, past any hook, so a client that sends
 * such frames and never reads would otherwise make the gateway hold its answers without limit. As in the outbox, a
 * frame larger than the bound still goes to a socket that has nothing waiting.
 *
 * <p>A {@link SockJSSocketBase}, as the bridge requires of the sockets it is given (it closes one that stopped
 * pinging through {@link SockJSSocketBase#closeAfterSessionExpired}); everything goes to the socket SockJS made.
 */
final class BoundedSocket extends SockJSSocketBase {
  private final SockJSSocket socket;
  private final long boundBytes;
  private final Context context;
  private final Consumer<SockJSSocket> onOverflow;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean overflowed = new AtomicBoolean();

  /** Made on the socket's context, where {@code onOverflow} will run. */
  BoundedSocket(SockJSSocket socket, long boundBytes, Consumer<SockJSSocket> onOverflow) {
    // No write handler of its own on the event bus: the bridge never uses one (it writes to the socket).
    super(Vertx.currentContext().owner(), socket.routingContext(),
        new SockJSHandlerOptions().setRegisterWriteHandler(false));
    this.socket = socket;
    this.boundBytes = boundBytes;
    this.context = Vertx.currentContext();
    this.onOverflow = onOverflow;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return counted(data.length(), () -> socket.write(data));
  }

  /** As the socket writes text (the raw WebSocket: a text frame); counted in characters, near enough for a bound. */
  @Override
  public Future<Void> write(String data) {
    return counted(data.length(), () -> socket.write(data));
  }

  /** Writes from several threads (room events come on cluster threads): the count is taken with a CAS. */
  private Future<Void> counted(int size, Supplier<Future<Void>> write) {
    long queued;
    do {
      queued = queuedBytes.get();
      if (overflowed.get() || (queued > 0 && queued + size > boundBytes)) {
        if (overflowed.compareAndSet(false, true)) {
          context.runOnContext(v -> onOverflow.accept(this));
        }
        return Future.failedFuture("the socket is not taking what it is sent");
      }
    } while (!queuedBytes.compareAndSet(queued, queued + size));
    return write.get().andThen(ar -> queuedBytes.addAndGet(-size));
  }

  @Override
  public SockJSSocket exceptionHandler(Handler<Throwable> handler) {
    socket.exceptionHandler(handler);
    return this;
  }

  @Override
  public SockJSSocket handler(Handler<Buffer> handler) {
    socket.handler(handler);
    return this;
  }

  @Override
  public SockJSSocket pause() {
    socket.pause();
    return this;
  }

  @Override
  public SockJSSocket resume() {
    socket.resume();
    return this;
  }

  @Override
  public SockJSSocket fetch(long amount) {
    socket.fetch(amount);
    return this;
  }

  @Override
  public SockJSSocket endHandler(Handler<Void> handler) {
    socket.endHandler(handler);
    return this;
  }

  @Override
  public SockJSSocket closeHandler(Handler<Void> handler) {
    socket.closeHandler(handler);
    return this;
  }

  @Override
  public SockJSSocket setWriteQueueMaxSize(int maxSize) {
    socket.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public SockJSSocket drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
    return this;
  }

  @Override
  public String writeHandlerID() {
    return socket.writeHandlerID();
  }

  @Override
  public Future<Void> end() {
    return socket.end();
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public void close(int statusCode, String reason) {
    socket.close(statusCode, reason);
  }

  /** The bridge's close of a socket that stopped pinging: the raw WebSocket says 1001 "Session expired". */
  @Override
  public void closeAfterSessionExpired() {
    if (socket instanceof SockJSSocketBase base) {
      base.closeAfterSessionExpired();
    } else {
      socket.close();
    }
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return socket.localAddress();
  }

  @Override
  public MultiMap headers() {
    return socket.headers();
  }

  @Override
  public String uri() {
    return socket.uri();
  }

  @Override
  public RoutingContext routingContext() {
    return socket.routingContext();
  }

  @Override
  public Session webSession() {
    return socket.webSession();
  }

  @Override
  public User webUser() {
    return socket.webUser();
  }
}
