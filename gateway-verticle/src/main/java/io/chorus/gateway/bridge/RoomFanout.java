package io.chorus.gateway.bridge;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Addresses;
import io.chorus.model.ClientAddresses;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One clustered consumer on {@code conv.<id>.events} per conversation with at least one socket on this
 * gateway; each event, in seq order ({@link RoomSequencer}), is encoded once as the bridge's frame for
 * {@code client.room.<id>} and that one buffer is written to every member socket here. Cluster
 * registrations so grow with gateways x active conversations, not with sockets (a clustered consumer per
 * socket melts Hazelcast, eclipse-vertx/vert.x#3797), and an event is encoded once on this gateway, not
 * copied and encoded once per socket as the bridge's own per-socket consumers would (docs/benchmarks.md).
 * The bridge still registers those consumers (the client's register goes through it and its rules), but
 * nothing is published to them.
 *
 * <p>Why {@code synchronized}: rooms are entered and left on edge threads and counted by metric scrapes, while
 * each room's consumer, sequencer and timers run on the room's cluster context (a clustered consumer delivers
 * on cluster threads; hopping every event onto the edge's one loop would serialize all rooms' encoding there).
 * The lock guards only the room table, for the moment of a join or a leave.
 */
public final class RoomFanout {
  private static final Logger log = LoggerFactory.getLogger(RoomFanout.class);
  /**
   * When, after a room's consumer is registered, storage is read for events that passed it by while
   * publishers on other nodes still routed by their old subscription list ({@link RoomSequencer#catchUp}).
   */
  static final List<Long> CATCH_UP_AFTER_MS = List.of(200L, 1_000L, 3_000L);

  /**
   * A socket (or a Server-Sent Events stream) in rooms: takes the encoded frames of their events, from any
   * thread.
   */
  public interface Member {
    /** Whose socket it is. */
    String userId();

    /** {@code kind} says whether the frame may be dropped for a socket that has fallen behind. */
    void write(Buffer frame, SocketOutbox.Kind kind);

    /**
     * The event with its bridge frame (encoded once for the room). A member that speaks another wire (an SSE
     * stream) encodes from the event itself.
     */
    default void deliver(JsonObject event, Buffer frame, SocketOutbox.Kind kind) {
      write(frame, kind);
    }

    /**
     * The socket's user is no longer a member of the conversation (a {@code member_left} or
     * {@code member_removed} passed, and was written to it first): it must leave the room. Its frames stop
     * at once, whatever the socket does.
     */
    void evicted(String conversationId);
  }

  private final ClusterClient cluster;
  private final long holdMs;
  private final Map<String, Room> rooms = new HashMap<>();

  private static final class Room {
    /** The cluster-side context the consumer, the sequencer and its timers all run on. */
    Context context;
    RoomSequencer sequencer;
    MessageConsumer<JsonObject> consumer;
    /**
     * Each member with the room's last seq as it read it when it joined. Joined and left on the edge
     * context, iterated on the room's (cluster) context: hence concurrent.
     */
    final Map<Member, Long> members = new ConcurrentHashMap<>();

    void deliver(String address, JsonObject event) {
      // The bridge's own frame for an event published to the address: what clients already parse.
      Buffer frame = BridgeFrames.recFrame(address, event);
      SocketOutbox.Kind kind = kindOf(event);
      for (Member member : members.keySet()) {
        try {
          member.deliver(event, frame, kind);
        } catch (RuntimeException e) {
          // One broken socket must not cost the rest of the room this event.
          log.debug("room {}: a socket refused a frame: {}", address, e.toString());
        }
      }
      if (RoomEvents.endsMembership(event)) {
        evict(event.getString("conversationId"), event.getString("userId"), event.getLong("seq", Long.MAX_VALUE));
      }
    }

    /**
     * The sockets of a user who is no longer a member get nothing after the notice that says so; a socket that
     * joined after the notice (the user was added again since) stays.
     */
    private void evict(String conversationId, String userId, long noticeSeq) {
      members.forEach((member, joinedAtSeq) -> {
        if (member.userId().equals(userId) && joinedAtSeq < noticeSeq && members.remove(member, joinedAtSeq)) {
          member.evicted(conversationId);
        }
      });
    }
  }

  /**
   * Typing and presence are never stored and are stale a moment later: a socket that has fallen behind loses
   * them first. Everything else (persisted events, and an answer's thinking, chunks and end) must arrive.
   */
  static SocketOutbox.Kind kindOf(JsonObject event) {
    String type = event.getString("type", "");
    boolean ephemeral = RoomEvents.USER_TYPING.equals(type) || RoomEvents.USER_JOINED.equals(type)
        || RoomEvents.USER_LEFT.equals(type);
    return ephemeral ? SocketOutbox.Kind.EPHEMERAL : SocketOutbox.Kind.REQUIRED;
  }

  public RoomFanout(ClusterClient cluster, long holdMs) {
    this.cluster = cluster;
    this.holdMs = holdMs;
  }

  /**
   * {@code member} joins the room; completes, on the caller's context, when the room's cluster consumer is
   * registered.
   * {@code lastSeq} is the conversation's last seq as the caller read it: events up to it are not
   * delivered again, later ones are delivered in order, reading any gap from storage.
   */
  public synchronized Future<Void> retain(String conversationId, long lastSeq, Member member) {
    Room room = rooms.computeIfAbsent(conversationId, id -> {
      Room created = new Room();
      // Called on an edge thread: this is the cluster context Vert.x ties to it, the consumer's too.
      created.context = cluster.context();
      String clientAddress = ClientAddresses.room(id);
      RoomSequencer sequencer = new RoomSequencer(id, lastSeq, event -> created.deliver(clientAddress, event),
          this::readGap, (delayMs, task) -> {
            long timerId = cluster.setTimer(Math.max(1, delayMs), t -> task.run());
            return () -> cluster.cancelTimer(timerId);
          }, holdMs);
      created.sequencer = sequencer;
      created.consumer = cluster.<JsonObject>consumer(Addresses.conversationEvents(id),
          event -> sequencer.accept(event.body()));
      created.consumer.completion().onSuccess(v -> CATCH_UP_AFTER_MS.forEach(
          delay -> cluster.setTimer(delay, t -> sequencer.catchUp())));
      return created;
    });
    room.members.put(member, lastSeq);
    return cluster.registered(room.consumer);
  }

  /**
   * {@code member} leaves the room; the last one out drops the cluster consumer (also when an eviction took
   * the member out before its socket released it).
   */
  public synchronized void release(String conversationId, Member member) {
    Room room = rooms.get(conversationId);
    if (room != null) {
      room.members.remove(member);
    }
    if (room != null && room.members.isEmpty()) {
      rooms.remove(conversationId);
      room.consumer.unregister();
      room.context.runOnContext(v -> room.sequencer.close());
    }
  }

  /** Conversations with a cluster consumer on this gateway, for metrics and tests. */
  public synchronized int activeRooms() {
    return rooms.size();
  }

  private Future<List<JsonObject>> readGap(String conversationId, long afterSeq, long beforeSeq) {
    int missing = (int) Math.min(HistoryQuery.MAX_LIMIT, Math.max(1, beforeSeq - afterSeq - 1));
    Long before = beforeSeq == Long.MAX_VALUE ? null : beforeSeq;
    return cluster.request(Addresses.STORAGE_MESSAGE_HISTORY,
            HistoryQuery.internal(conversationId, afterSeq, before, missing))
        .map(page -> page.messages().stream().map(StoredMessage::toEvent).toList());
  }
}
