package io.chorus.gateway.bridge;

import io.chorus.gateway.ClusterClient;
import io.chorus.gateway.http.TokenService;
import io.chorus.model.Ids;
import io.chorus.model.Addresses;
import io.chorus.model.ClientAddresses;
import io.chorus.model.ErrorCode;
import io.chorus.model.storage.MemberRef;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge hook's decisions. The socket was authenticated on the HTTP upgrade; here every frame is tied to
 * that user: sends get the user stamped into fresh headers (whatever the client put there is dropped),
 * {@code client.room.<id>} registrations need membership, {@code client.user.<id>} only the same user; a
 * frame over {@code MAX_FRAME_BYTES} is answered 413, and one on an expired token 401. What the sockets are in
 * is kept by {@link BridgeSockets}. Every branch ends with {@code complete(true|false)}: {@code complete()}
 * alone breaks the socket.
 */
public final class BridgeRules {
  private static final Logger log = LoggerFactory.getLogger(BridgeRules.class);

  private final ClusterClient cluster;
  private final BridgeSockets sockets;
  private final int maxFrameBytes;
  private final int maxRoomsPerSocket;

  public BridgeRules(ClusterClient cluster, BridgeSockets sockets, int maxFrameBytes, int maxRoomsPerSocket) {
    this.cluster = cluster;
    this.sockets = sockets;
    this.maxFrameBytes = maxFrameBytes;
    this.maxRoomsPerSocket = maxRoomsPerSocket;
  }

  public void handle(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> onCreated(event);
      case SEND -> onSend(event);
      case REGISTER -> onRegister(event);
      case REGISTERED -> onRegistered(event);
      case UNREGISTER -> onUnregister(event);
      case SOCKET_CLOSED -> onClosed(event);
      case SOCKET_PING -> onPing(event);
      case RECEIVE -> onReceive(event);
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
    SocketState state = sockets.get(event.socket());
    if (state != null && state.expired(System.currentTimeMillis())) {
      event.complete(false);
      event.socket().close();
      return;
    }
    event.complete(true);
  }

  /**
   * A reply or a personal event the bridge is about to write: it goes through the socket's bounded queue
   * instead ({@link SocketOutbox}), the very frame the bridge would have written, so it counts towards the
   * bound and is never written to a socket that has fallen behind. The bridge itself writes nothing.
   */
  private void onReceive(BridgeEvent event) {
    SocketState state = sockets.get(event.socket());
    event.complete(false);
    if (state != null) {
      state.outbox.offer(Buffer.buffer(event.getRawMessage().encode()), SocketOutbox.Kind.REQUIRED);
    }
  }

  private void onCreated(BridgeEvent event) {
    User user = event.socket().webUser();
    if (user == null || sockets.draining()) {
      event.complete(false);
      return;
    }
    String userId = TokenService.userId(user);
    if (!sockets.mayOpen(userId)) {
      // Refused on the upgrade with 429 already; this catches upgrades that raced each other.
      event.complete(false);
      return;
    }
    sockets.opened(event.socket(), userId, TokenService.username(user), TokenService.sessionId(user),
        expiresAtMillis(user));
    event.complete(true);
  }

  /** When the socket's token runs out: its {@code exp} (a ticket's socket lives on the token it stands for). */
  private static long expiresAtMillis(User user) {
    return TokenService.expiry(user) instanceof Number exp ? exp.longValue() * 1000 : Long.MAX_VALUE;
  }

  private void onSend(BridgeEvent event) {
    SocketState state = sockets.get(event.socket());
    if (state == null) {
      event.complete(false);
      return;
    }
    if (state.expired(System.currentTimeMillis())) {
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
        sockets.leaveRoom(state, conversationId);
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
    if (state.expired(System.currentTimeMillis())) {
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
    return sockets.enterRoom(state, conversationId, lastSeq).compose(entered -> !entered
        ? Future.succeededFuture(false)
        // Membership again, now that the socket is in the room: a removal that committed after the first check
        // may have passed this gateway before the socket joined, and its notice would not take the socket out.
        : cluster.request(Addresses.STORAGE_MEMBER_CHECK, new MemberRef(conversationId, state.userId)).map(true))
        .onFailure(err -> sockets.leaveRoom(state, conversationId)); // only an entered socket gets to fail
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
        sockets.leaveRoom(state, conversationId);
      }
    }
    event.complete(true);
  }

  private void onClosed(BridgeEvent event) {
    sockets.closed(event.socket());
    event.complete(true);
  }

  /** The conversation id of a {@code client.room.<uuid>} address, or null for anything else. */
  static String conversationIdOf(String address) {
    if (!address.startsWith(ClientAddresses.ROOM_PREFIX)) {
      return null;
    }
    // Canonical only: the address must be the very one the bridge registers and room events go to.
    String id = address.substring(ClientAddresses.ROOM_PREFIX.length());
    return Ids.isCanonical(id) ? id : null;
  }
}
