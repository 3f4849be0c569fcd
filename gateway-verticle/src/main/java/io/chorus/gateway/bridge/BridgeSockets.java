package io.chorus.gateway.bridge;

import io.chorus.model.ClientAddresses;
import io.chorus.model.events.RoomEvents;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge sockets open on this gateway and what they are in: counts per user, their SockJS sessions, the
 * rooms each socket entered ({@link RoomFanout}) and its user's presence there, their failures, and their
 * closing (a logout, a drain). {@link BridgeRules} decides; this keeps the books. Touched only on the edge
 * context, as the bridge's events are.
 */
public final class BridgeSockets {
  private static final Logger log = LoggerFactory.getLogger(BridgeSockets.class);
  /** WebSocket close code 1001: the server is going away. */
  private static final int GOING_AWAY = 1001;
  /** WebSocket close code 1008: the socket's session was logged out. */
  private static final int POLICY_VIOLATION = 1008;
  /** WebSocket close code 1009: a message too big to process. */
  static final int MESSAGE_TOO_BIG = 1009;
  /**
   * WebSocket close code 4008 (the application's range), reason {@code slow consumer}: more than
   * {@code SOCKET_QUEUE_BYTES} waited for the socket (docs/protocol.md). SockJS transports close with their own
   * {@code c[3000,"Go away!"]}: the bridge takes no code there.
   */
  public static final int SLOW_CONSUMER = 4008;
  /**
   * How long a slow WebSocket has to take its close frame (it waits behind the backlog). A client that reads
   * nothing never takes it, and Vert.x would wait for it for ever, holding the backlog: the connection is then
   * dropped.
   */
  static final long SLOW_CLOSE_GRACE_MS = 5_000;

  private final RoomFanout fanout;
  private final Presence presence;
  private final SockJsSessions sessions;
  private final int maxSocketsPerUser;
  private final long socketQueueBytes;
  private final LongAdder slowClosed = new LongAdder();
  private final LongAdder ephemeralDropped = new LongAdder();
  private final Map<String, Integer> socketsPerUser = new HashMap<>();
  private final Map<SockJSSocket, SocketState> sockets = new HashMap<>();
  private boolean draining;

  public BridgeSockets(RoomFanout fanout, Presence presence, SockJsSessions sessions, int maxSocketsPerUser,
      long socketQueueBytes) {
    this.fanout = fanout;
    this.presence = presence;
    this.sessions = sessions;
    this.maxSocketsPerUser = maxSocketsPerUser;
    this.socketQueueBytes = socketQueueBytes;
  }

  /** Sockets closed because more than {@code SOCKET_QUEUE_BYTES} waited for them (a metric). */
  public long slowClosed() {
    return slowClosed.sum();
  }

  /** Typing and presence events dropped for sockets that had fallen behind (a metric). */
  public long ephemeralDropped() {
    return ephemeralDropped.sum();
  }

  public int open() {
    return sockets.size();
  }

  /** False once the user has {@code MAX_SOCKETS_PER_USER} sockets open on this gateway. */
  public boolean mayOpen(String userId) {
    return socketsPerUser.getOrDefault(userId, 0) < maxSocketsPerUser;
  }

  /** True once {@link #closeAll} has run: the gateway is going away. */
  boolean draining() {
    return draining;
  }

  /** The state of an open socket, or null for one this gateway did not accept (or has closed). */
  public SocketState get(SockJSSocket socket) {
    return sockets.get(socket);
  }

  /**
   * The socket the bridge is given, every write to it bounded ({@link BoundedSocket}): twice
   * {@code SOCKET_QUEUE_BYTES}, so the outbox's own bound and notice come first for what Chorus sends.
   */
  public SockJSSocket bounded(SockJSSocket socket) {
    return new BoundedSocket(socket, 2 * socketQueueBytes, this::dropUnread);
  }

  /**
   * Twice {@code SOCKET_QUEUE_BYTES} waited for a socket, the bridge's own answers among them (to frames that were
   * not JSON, or refused): a client that sends and never reads. It is dropped at once, with no notice it would not
   * read; its rooms and presence go as on any close.
   */
  private void dropUnread(SockJSSocket socket) {
    slowClosed.increment();
    log.info("dropping a bridge socket that does not read what it is sent: over {} bytes were waiting for it",
        2 * socketQueueBytes);
    socket.close(SLOW_CONSUMER, "slow consumer");
    dropConnection(socket);
  }

  /** Takes an accepted socket into the books; from the next turn of the loop its failures are handled here. */
  SocketState opened(SockJSSocket socket, String userId, String username, String sessionId, long expiresAtMillis) {
    Context socketContext = Vertx.currentContext();
    SocketOutbox outbox = new SocketOutbox(socket::write, socketQueueBytes, ephemeralDropped,
        () -> socketContext.runOnContext(v -> closeSlow(socket, userId)));
    SocketState state =
        new SocketState(userId, username, sessionId, member(socket, userId, outbox), outbox, expiresAtMillis);
    sockets.put(socket, state);
    socketsPerUser.merge(userId, 1, Integer::sum);
    sessions.opened(socket.uri(), userId);
    // In place of the bridge's own, which logs every failure at ERROR and leaves the socket open. The bridge
    // sets its handler once its hook has returned, so ours goes in on the next turn of the loop.
    Vertx.currentContext().runOnContext(v -> socket.exceptionHandler(err -> onSocketError(socket, err)));
    return state;
  }

  /** The socket closed: it leaves its rooms (and their presence) and its user's count. */
  public void closed(SockJSSocket socket) {
    SocketState state = sockets.remove(socket);
    if (state != null) {
      sessions.closed(socket.uri());
      socketsPerUser.computeIfPresent(state.userId, (user, open) -> open > 1 ? open - 1 : null);
      state.closed();
      for (String conversationId : state.rooms()) {
        leaveRoom(state, conversationId);
      }
    }
  }

  /**
   * The socket enters the room: its cluster consumer and its user's presence start now, on this socket's loop,
   * so a close that follows always finds them to undo. True when it newly entered, false if it was in already
   * (or has closed).
   */
  Future<Boolean> enterRoom(SocketState state, String conversationId, long lastSeq) {
    if (!state.enterRoom(conversationId)) {
      return Future.succeededFuture(false);
    }
    Future<Void> live = fanout.retain(conversationId, lastSeq, state.member);
    Future<Void> online = presence.enter(conversationId, state.userId, state.username);
    return Future.all(live, online).map(true);
  }

  void leaveRoom(SocketState state, String conversationId) {
    if (state.leaveRoom(conversationId)) {
      fanout.release(conversationId, state.member);
      presence.leave(conversationId, state.userId, state.username);
    }
  }

  /**
   * The gateway is going away: refuses new sockets, tells each open one to reconnect (a
   * {@code gateway_closing} event on its user's address, which a client may or may not have registered)
   * and closes it. Each close then runs the usual leave of rooms and presence.
   */
  public void closeAll(long reconnectAfterMs) {
    draining = true;
    for (Map.Entry<SockJSSocket, SocketState> open : Map.copyOf(sockets).entrySet()) {
      String notice = BridgeFrames.rec(ClientAddresses.user(open.getValue().userId),
          new JsonObject().put("type", RoomEvents.GATEWAY_CLOSING).put("reconnectAfterMs", reconnectAfterMs));
      SockJSSocket socket = open.getKey();
      socket.write(notice).onComplete(ar -> socket.close(GOING_AWAY, "gateway shutting down"));
    }
  }

  /**
   * A logout ended this login session (on any gateway): its sockets here are closed with 1008 and the reason,
   * as their token is refused from now on. Other sessions of the same user stay open.
   */
  public void closeSession(String sessionId) {
    for (Map.Entry<SockJSSocket, SocketState> open : Map.copyOf(sockets).entrySet()) {
      if (sessionId.equals(open.getValue().sessionId)) {
        open.getKey().close(POLICY_VIOLATION, "session ended");
      }
    }
  }

  /** The users with at least one socket open here. */
  public java.util.Set<String> users() {
    return java.util.Set.copyOf(socketsPerUser.keySet());
  }

  /**
   * An operator disconnected or suspended the user (on any gateway): each of their sockets here gets
   * {@code event} on the user's personal address (registered or not, as {@code gateway_closing}), then is closed
   * with 1008 and {@code reason}.
   */
  public void closeUser(String userId, JsonObject event, String reason) {
    for (Map.Entry<SockJSSocket, SocketState> open : Map.copyOf(sockets).entrySet()) {
      if (userId.equals(open.getValue().userId)) {
        SockJSSocket socket = open.getKey();
        socket.write(BridgeFrames.rec(ClientAddresses.user(userId), event))
            .onComplete(ar -> socket.close(POLICY_VIOLATION, reason));
      }
    }
  }

  /**
   * The socket as a member of its rooms: frames go straight to it; when its user stops being a member of a
   * room, it leaves the room (and its presence) on its own context, as an unregister would.
   */
  private RoomFanout.Member member(SockJSSocket socket, String userId, SocketOutbox outbox) {
    Context socketContext = Vertx.currentContext();
    return new RoomFanout.Member() {
      @Override
      public String userId() {
        return userId;
      }

      @Override
      public void write(Buffer frame, SocketOutbox.Kind kind) {
        outbox.offer(frame, kind);
      }

      @Override
      public void evicted(String conversationId) {
        socketContext.runOnContext(v -> {
          SocketState state = sockets.get(socket);
          if (state != null) {
            leaveRoom(state, conversationId);
          }
        });
      }
    };
  }

  /**
   * More than {@code SOCKET_QUEUE_BYTES} waited for the socket and one more frame had to reach it: the socket
   * gets a {@code slow_consumer} event on its user's address (it arrives if the socket ever takes what is queued
   * before it) and is closed with {@link #SLOW_CONSUMER}; a WebSocket that has not taken its close frame
   * {@link #SLOW_CLOSE_GRACE_MS} later is dropped, which frees what was queued for it. Its rooms and presence
   * go as on any close; the client reconnects and reads what it missed from history.
   */
  private void closeSlow(SockJSSocket socket, String userId) {
    if (!sockets.containsKey(socket)) {
      return;
    }
    slowClosed.increment();
    log.info("closing a slow bridge socket of user {}: more than {} bytes were waiting for it", userId,
        socketQueueBytes);
    String notice = BridgeFrames.rec(ClientAddresses.user(userId),
        new JsonObject().put("type", RoomEvents.SLOW_CONSUMER).put("queueBytes", socketQueueBytes));
    socket.write(notice);
    socket.close(SLOW_CONSUMER, "slow consumer");
    Vertx.currentContext().owner().setTimer(SLOW_CLOSE_GRACE_MS, t -> dropConnection(socket));
  }

  /**
   * Closes a WebSocket's TCP connection at once, whatever is queued on it. Vert.x's own close writes a close
   * frame behind the backlog and only starts its closing timeout once that frame is written, so a peer that
   * reads nothing would hold the connection, and its backlog, for ever. Closing from the pipeline's first handler
   * goes to the socket without passing Vert.x's WebSocket handler; the usual close handling follows. Uses
   * {@link ConnectionBase}, Vert.x's implementation, for the channel: nothing public reaches it. SockJS's HTTP
   * transports need none of this: closing the session discards what waits in it.
   */
  static void dropConnection(SockJSSocket socket) {
    String uri = socket.uri();
    int query = uri == null ? -1 : uri.indexOf('?');
    String path = uri == null ? "" : query < 0 ? uri : uri.substring(0, query);
    if (!path.endsWith("/websocket") || socket.routingContext() == null) {
      return;
    }
    HttpConnection connection = socket.routingContext().request().connection();
    if (connection instanceof ConnectionBase base && base.channel().isActive()) {
      io.netty.channel.ChannelHandlerContext first = base.channel().pipeline().firstContext();
      if (first != null) {
        log.debug("dropping the connection of a slow WebSocket that did not take its close frame");
        first.close();
      }
    }
  }

  /**
   * A socket failed, mostly by the client's doing: a message over {@code 4 x MAX_FRAME_BYTES} closes it with
   * 1009 as the protocol promises, a dropped connection is closing anyway (both at DEBUG). Anything else is
   * a WARN without a stack trace, and the socket is closed: it may no longer be usable.
   */
  private void onSocketError(SockJSSocket socket, Throwable err) {
    int status = closeStatusFor(err);
    if (status > 0) {
      log.debug("bridge socket closed with {}: {}", status, err.getMessage());
      socket.close(status, "message too big");
    } else if (err instanceof HttpClosedException || err instanceof IOException) {
      log.debug("bridge socket dropped: {}", err.toString());
    } else {
      log.warn("bridge socket failed, closing it: {}", err.toString());
      socket.close();
    }
  }

  /** 1009 for a message over the limit, or the close status the WebSocket codec chose; 0 for anything else. */
  static int closeStatusFor(Throwable err) {
    if (err instanceof CorruptedWebSocketFrameException corrupted) {
      return corrupted.closeStatus().code();
    }
    if (err instanceof IllegalStateException && err.getMessage() != null
        && err.getMessage().contains("max message size")) {
      return MESSAGE_TOO_BIG;
    }
    return 0;
  }
}
