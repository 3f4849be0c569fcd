package io.chorus.gateway;

import io.chorus.model.Addresses;
import io.chorus.model.ClientAddresses;
import io.chorus.model.ErrorCode;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.MemberRef;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge hook. The socket was authenticated on the HTTP upgrade; here every frame is tied to that
 * user: sends get the user stamped into fresh headers (whatever the client put there is dropped),
 * {@code client.room.<id>} registrations need membership, {@code client.user.<id>} only the same user.
 * Every branch ends with {@code complete(true|false)}: {@code complete()} alone breaks the socket.
 */
final class BridgeRules {
  private static final Logger log = LoggerFactory.getLogger(BridgeRules.class);
  /** WebSocket close code 1001: the server is going away. */
  private static final int GOING_AWAY = 1001;
  /** WebSocket close code 1008: the socket's session was logged out. */
  private static final int POLICY_VIOLATION = 1008;
  /** WebSocket close code 1009: a message too big to process. */
  static final int MESSAGE_TOO_BIG = 1009;

  private final ClusterClient cluster;
  private final RoomFanout fanout;
  private final Presence presence;
  private final int maxFrameBytes;
  private final SockJsSessions sessions;
  private final int maxSocketsPerUser;
  private final int maxRoomsPerSocket;
  private final Map<String, Integer> socketsPerUser = new HashMap<>();
  private final Map<SockJSSocket, SocketState> sockets = new HashMap<>();
  private boolean draining;

  BridgeRules(ClusterClient cluster, RoomFanout fanout, Presence presence, int maxFrameBytes,
      SockJsSessions sessions, int maxSocketsPerUser, int maxRoomsPerSocket) {
    this.maxSocketsPerUser = maxSocketsPerUser;
    this.maxRoomsPerSocket = maxRoomsPerSocket;
    this.cluster = cluster;
    this.fanout = fanout;
    this.presence = presence;
    this.maxFrameBytes = maxFrameBytes;
    this.sessions = sessions;
  }

  void handle(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> onCreated(event);
      case SEND -> onSend(event);
      case REGISTER -> onRegister(event);
      case REGISTERED -> onRegistered(event);
      case UNREGISTER -> onUnregister(event);
      case SOCKET_CLOSED -> onClosed(event);
      case SOCKET_PING -> onPing(event);
      // Clients only make requests; a publish from a client would bypass the services.
      case PUBLISH -> event.complete(false);
      default -> event.complete(true);
    }
  }

  /**
   * A socket that only listens still pings: once its token has expired it is closed here, so a user
   * removed or logged out cannot keep receiving a room's events on an old socket.
   */
  private void onPing(BridgeEvent event) {
    if (event.socket().webUser() != null && event.socket().webUser().expired()) {
      event.complete(false);
      event.socket().close();
      return;
    }
    event.complete(true);
  }

  int openSockets() {
    return sockets.size();
  }

  /** False once the user has {@code MAX_SOCKETS_PER_USER} sockets open on this gateway. */
  boolean mayOpenSocket(String userId) {
    return socketsPerUser.getOrDefault(userId, 0) < maxSocketsPerUser;
  }

  /**
   * The gateway is going away: refuses new sockets, tells each open one to reconnect (a
   * {@code gateway_closing} event on its user's address, which a client may or may not have registered)
   * and closes it. Each close then runs the usual leave of rooms and presence.
   */
  void closeAll(long reconnectAfterMs) {
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
  void closeSession(String sessionId) {
    for (Map.Entry<SockJSSocket, SocketState> open : Map.copyOf(sockets).entrySet()) {
      if (sessionId.equals(open.getValue().sessionId)) {
        open.getKey().close(POLICY_VIOLATION, "session ended");
      }
    }
  }

  private void onCreated(BridgeEvent event) {
    User user = event.socket().webUser();
    if (user == null || draining) {
      event.complete(false);
      return;
    }
    SockJSSocket socket = event.socket();
    String userId = TokenService.userId(user);
    if (!mayOpenSocket(userId)) {
      // Refused on the upgrade with 429 already; this catches upgrades that raced each other.
      event.complete(false);
      return;
    }
    SocketState state = new SocketState(userId, TokenService.username(user), TokenService.sessionId(user),
        member(socket, userId));
    sockets.put(socket, state);
    socketsPerUser.merge(userId, 1, Integer::sum);
    sessions.opened(socket.uri(), state.userId);
    event.complete(true);
    // In place of the bridge's own, which logs every failure at ERROR and leaves the socket open. The bridge
    // sets its handler once this hook has returned, so ours goes in on the next turn of the loop.
    Vertx.currentContext().runOnContext(v -> socket.exceptionHandler(err -> onSocketError(socket, err)));
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

  /**
   * The socket as a member of its rooms: frames go straight to it; when its user stops being a member of a
   * room, it leaves the room (and its presence) on its own context, as an unregister would.
   */
  private RoomFanout.Member member(SockJSSocket socket, String userId) {
    Context socketContext = Vertx.currentContext();
    return new RoomFanout.Member() {
      @Override
      public String userId() {
        return userId;
      }

      @Override
      public void write(Buffer frame) {
        socket.write(frame);
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

  private void onSend(BridgeEvent event) {
    SocketState state = sockets.get(event.socket());
    if (state == null) {
      event.complete(false);
      return;
    }
    if (event.socket().webUser().expired()) {
      refuseExpired(event);
      return;
    }
    JsonObject raw = event.getRawMessage();
    if (FrameSize.utf8Bytes(raw) > maxFrameBytes) {
      // Answered here, as the 401 is: the frame goes no further, and the socket stays open.
      refuse(event, raw.getString("replyAddress"), ErrorCode.TOO_LARGE, "frame is larger than allowed");
      return;
    }
    raw.put("headers", new JsonObject().put(Caller.USER_ID, state.userId).put(Caller.USERNAME, state.username));
    event.setRawMessage(raw);
    if (ClientAddresses.CONVERSATION_LEAVE.equals(raw.getString("address"))) {
      leaveRoomAsked(state, raw.getValue("body"));
    }
    state.registrationsSettled().onComplete(ar -> event.complete(true));
  }

  /**
   * {@code client.conversation.leave}: this socket leaves the room (its events stop here, and the room sees
   * {@code user_left} when it was the user's last socket there), as an unregister does; the user stays a
   * member. The request itself goes on to be answered (403 for a non-member).
   */
  private void leaveRoomAsked(SocketState state, Object body) {
    if (body instanceof JsonObject request && request.getValue("conversationId") instanceof String id) {
      String conversationId = conversationIdOf(ClientAddresses.room(id));
      if (conversationId != null) {
        leaveRoom(state, conversationId);
      }
    }
  }

  /**
   * The token ran out while the socket was open: answer 401 (to the reply address of a send) and close;
   * the client reconnects with a fresh one.
   */
  private void refuseExpired(BridgeEvent event) {
    refuse(event, event.getRawMessage().getString("replyAddress"), ErrorCode.UNAUTHORIZED, "token expired");
    event.socket().close();
  }

  /**
   * An {@code err} frame with the code, to the send's reply address or the register's address, then the
   * bridge's own refusal ({@code rejected}).
   */
  private static void refuse(BridgeEvent event, String address, ErrorCode code, String message) {
    event.socket().write(BridgeFrames.err(address, code, message));
    event.complete(false);
  }

  private void onRegister(BridgeEvent event) {
    SocketState state = sockets.get(event.socket());
    String address = event.getRawMessage().getString("address", "");
    if (state == null) {
      event.complete(false);
      return;
    }
    if (event.socket().webUser().expired()) {
      refuseExpired(event); // a stale token must not open a room it may no longer be let into
      return;
    }
    if (!address.startsWith("client.")) {
      // Not ours to judge: the bridge's permitted list answers access_denied for it.
      event.complete(true);
      return;
    }
    if (address.startsWith(ClientAddresses.USER_PREFIX)) {
      event.complete(address.equals(ClientAddresses.user(state.userId)));
      return;
    }
    String conversationId = conversationIdOf(address);
    if (conversationId == null) {
      event.complete(false);
      return;
    }
    if (!state.inOrEntering(address, conversationId) && state.roomsTaken() >= maxRoomsPerSocket) {
      refuse(event, address, ErrorCode.RATE_LIMITED, "a socket may be in at most " + maxRoomsPerSocket + " rooms");
      return;
    }
    state.registrationStarted(address);
    cluster.request(Addresses.STORAGE_CONVERSATION_GET, new MemberRef(conversationId, state.userId))
        .compose(conversation -> enterRoom(state, conversationId, conversation.lastSeq()))
        .onComplete(ar -> {
          if (state.isClosed()) {
            event.complete(false);
            return;
          }
          if (ar.failed() || !ar.result() || state.isBridgeRegistered(address)) {
            // Refused, a second register of the same room, or the room entered again after
            // client.conversation.leave while the bridge still holds the address (it answers
            // address_already_registered): no REGISTERED event will follow.
            state.registrationEnded(address);
          }
          if (ar.failed()) {
            log.debug("register {} refused: {}", address, ar.cause().getMessage());
          }
          event.complete(ar.succeeded());
        });
  }

  /** True when the socket newly entered the room (its cluster consumer is then live), false if already in. */
  private Future<Boolean> enterRoom(SocketState state, String conversationId, long lastSeq) {
    if (!state.enterRoom(conversationId)) {
      return Future.succeededFuture(false);
    }
    // Both start now, on this socket's loop, so a close that follows always finds them to undo.
    Future<Void> live = fanout.retain(conversationId, lastSeq, state.member);
    Future<Void> online = presence.enter(conversationId, state.userId, state.username);
    // Membership again, now that the socket is in the room: a removal that committed after the first check may
    // have passed this gateway before the socket joined, and its notice would not take the socket out.
    return Future.all(live, online)
        .compose(v -> cluster.request(Addresses.STORAGE_MEMBER_CHECK, new MemberRef(conversationId, state.userId)))
        .map(true)
        .onFailure(err -> leaveRoom(state, conversationId));
  }

  private void leaveRoom(SocketState state, String conversationId) {
    if (state.leaveRoom(conversationId)) {
      fanout.release(conversationId, state.member);
      presence.leave(conversationId, state.userId, state.username);
    }
  }

  private void onRegistered(BridgeEvent event) {
    SocketState state = sockets.get(event.socket());
    if (state != null) {
      String address = event.getRawMessage().getString("address");
      state.bridgeRegistered(address, true);
      state.registrationEnded(address);
    }
    event.complete(true);
  }

  private void onUnregister(BridgeEvent event) {
    SocketState state = sockets.get(event.socket());
    String address = event.getRawMessage().getString("address", "");
    String conversationId = conversationIdOf(address);
    if (state != null) {
      state.bridgeRegistered(address, false);
      if (conversationId != null) {
        leaveRoom(state, conversationId);
      }
    }
    event.complete(true);
  }

  private void onClosed(BridgeEvent event) {
    SocketState state = sockets.remove(event.socket());
    if (state != null) {
      sessions.closed(event.socket().uri());
      socketsPerUser.computeIfPresent(state.userId, (user, open) -> open > 1 ? open - 1 : null);
      state.closed();
      for (String conversationId : state.rooms()) {
        leaveRoom(state, conversationId);
      }
    }
    event.complete(true);
  }

  /** The conversation id of a {@code client.room.<uuid>} address, or null for anything else. */
  static String conversationIdOf(String address) {
    if (!address.startsWith(ClientAddresses.ROOM_PREFIX)) {
      return null;
    }
    // Canonical only: the address must be the very one the bridge registers and room events go to.
    String id = address.substring(ClientAddresses.ROOM_PREFIX.length());
    return id.equals(Uuids.canonicalOrNull(id)) ? id : null;
  }
}
