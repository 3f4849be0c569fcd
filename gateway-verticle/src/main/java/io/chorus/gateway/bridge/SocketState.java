package io.chorus.gateway.bridge;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the gateway remembers of one bridge socket: its user, the rooms it is in, and the room
 * registrations still being set up. Touched only on the socket's event loop, but for {@link #member},
 * which takes room frames from any thread.
 */
public final class SocketState {
  public final String userId;
  public final String username;
  /** The login session of the token the socket was opened with (null for a token from before sessions). */
  public final String sessionId;
  /** The socket as a member of its rooms ({@link RoomFanout}). */
  final RoomFanout.Member member;
  /** Every frame the gateway sends the socket goes through this: the socket's bounded queue. */
  final SocketOutbox outbox;
  private final Set<String> rooms = new HashSet<>();
  /** Addresses the bridge has a consumer of for this socket (REGISTERED, until UNREGISTER). */
  private final Set<String> bridgeAddresses = new HashSet<>();
  private final Map<String, Pending> pendingRegistrations = new HashMap<>();
  private boolean closed;

  /** Register frames of one address still being set up: a client may send the same one twice. */
  private static final class Pending {
    final Promise<Void> settled = Promise.promise();
    int frames;
  }

  /**
   * When the token the socket was opened with runs out (epoch ms; Long.MAX_VALUE for none). Read once: the
   * token's claims do not change while the socket lives, and reading them on every frame (User.expired()
   * looks up several JSON fields each time) was a visible part of the send path's profile.
   */
  private final long expiresAtMillis;

  SocketState(String userId, String username, String sessionId, RoomFanout.Member member, SocketOutbox outbox,
      long expiresAtMillis) {
    this.userId = userId;
    this.username = username;
    this.sessionId = sessionId;
    this.member = member;
    this.outbox = outbox;
    this.expiresAtMillis = expiresAtMillis;
  }

  /** The socket's token has run out: its frames are refused and a ping closes it. */
  boolean expired(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }

  /**
   * True when the socket was not in the room yet and is still open: only then does it count towards the
   * room. A register answered after the socket closed must not leave a room or a presence behind.
   */
  boolean enterRoom(String conversationId) {
    return !closed && rooms.add(conversationId);
  }

  boolean leaveRoom(String conversationId) {
    return rooms.remove(conversationId);
  }

  public Set<String> rooms() {
    return Set.copyOf(rooms);
  }

  /** True when the socket is in the room, or a register of it is being checked. */
  boolean inOrEntering(String address, String conversationId) {
    return rooms.contains(conversationId) || pendingRegistrations.containsKey(address);
  }

  /** Rooms the socket is in or entering: what {@code MAX_ROOMS_PER_SOCKET} bounds. */
  int roomsTaken() {
    return rooms.size() + pendingRegistrations.size();
  }

  void registrationStarted(String address) {
    pendingRegistrations.computeIfAbsent(address, a -> new Pending()).frames++;
  }

  /** One register frame of the address is done (live, refused or a duplicate). */
  void registrationEnded(String address) {
    Pending pending = pendingRegistrations.get(address);
    if (pending != null && --pending.frames == 0) {
      pendingRegistrations.remove(address);
      pending.settled.tryComplete();
    }
  }

  /**
   * Completes when every registration this socket started has taken effect, so a request sent after a
   * {@code register} frame is handled after the subscription is live, as a client would expect.
   */
  Future<Void> registrationsSettled() {
    if (pendingRegistrations.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> pending = new ArrayList<>();
    pendingRegistrations.values().forEach(p -> pending.add(p.settled.future()));
    return Future.all(pending).mapEmpty();
  }

  /** The bridge holds (or no longer holds) a consumer of {@code address} for this socket. */
  void bridgeRegistered(String address, boolean registered) {
    if (registered) {
      bridgeAddresses.add(address);
    } else {
      bridgeAddresses.remove(address);
    }
  }

  /** Whether the bridge already holds the address for this socket: it refuses a second register of it. */
  boolean isBridgeRegistered(String address) {
    return bridgeAddresses.contains(address);
  }

  public void closed() {
    closed = true;
    pendingRegistrations.values().forEach(p -> p.settled.tryComplete());
    pendingRegistrations.clear();
  }

  boolean isClosed() {
    return closed;
  }
}
