package io.chorus.gateway.sse;

import io.chorus.gateway.ClusterClient;
import io.chorus.gateway.bridge.Presence;
import io.chorus.gateway.bridge.RoomFanout;
import io.chorus.gateway.bridge.SocketOutbox;
import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.ChorusException;
import io.chorus.model.ClientAddresses;
import io.chorus.model.chat.HistoryRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Server-Sent Events stream following rooms (and, on {@code /api/events}, its user's personal events). A
 * room is followed as a bridge socket is: a member of the room's {@link RoomFanout} (so it gets the room's
 * events in seq order, on any gateway) and online in its {@link Presence}. Resuming after seq N: the stream
 * joins the room first and holds its live events, then reads every persisted event after N from history
 * (pages in seq order, paced by the reader), writes the answers in flight as {@code ai_stream_snapshot}, and
 * only then lets the held and later live events through a {@link RoomFilter}: nothing is missed (the live
 * events started before the reads) and nothing is written twice. A chunk that skips an index, live or among
 * the held events, holds the room's events again while the same read brings the answer's newer snapshot.
 * Confined to the request's context.
 */
final class EventStream {
  /** Events per history page in a replay: between pages the replay waits for the reader. */
  static final int REPLAY_PAGE = 100;

  private final ClusterClient cluster;
  private final RoomFanout fanout;
  private final Presence presence;
  private final SseResponse response;
  private final Context context;
  final String userId;
  final String username;
  final String sessionId;
  private final boolean endWithLastRoom;
  private final boolean seqIds;
  private final int queueBytes;
  private final Map<String, Room> rooms = new LinkedHashMap<>();
  private MessageConsumer<JsonObject> personal;

  /** One followed room: a member of its fan-out; its events wait until the replay is written. */
  private final class Room implements RoomFanout.Member {
    final String conversationId;
    final RoomFilter filter;
    List<JsonObject> held = new ArrayList<>();
    long heldBytes;

    Room(String conversationId, long afterSeq) {
      this.conversationId = conversationId;
      this.filter = new RoomFilter(afterSeq);
    }

    @Override
    public String userId() {
      return userId;
    }

    @Override
    public void write(Buffer frame, SocketOutbox.Kind kind) {
      // Not called: deliver is.
    }

    @Override
    public void deliver(JsonObject event, Buffer frame, SocketOutbox.Kind kind) {
      int size = frame.length();
      context.runOnContext(v -> onLive(this, event, size));
    }

    @Override
    public void evicted(String id) {
      context.runOnContext(v -> leave(this));
    }
  }

  EventStream(ClusterClient cluster, RoomFanout fanout, Presence presence, SseResponse response, String userId,
      String username, String sessionId, boolean endWithLastRoom, int queueBytes) {
    this.cluster = cluster;
    this.fanout = fanout;
    this.presence = presence;
    this.response = response;
    this.context = Vertx.currentContext();
    this.userId = userId;
    this.username = username;
    this.sessionId = sessionId;
    this.endWithLastRoom = endWithLastRoom;
    // One room: ids are its seqs (EventSource resumes with them); several: positions are per room, see docs.
    this.seqIds = endWithLastRoom;
    this.queueBytes = queueBytes;
    response.onClose(this::closed);
  }

  SseResponse response() {
    return response;
  }

  /**
   * Follows the room: live events from now, after a replay of the persisted events after {@code afterSeq} and
   * the snapshots of the answers in flight. {@code lastSeq} is the room's last seq as the caller read it.
   */
  void follow(String conversationId, long lastSeq, long afterSeq) {
    if (response.isClosed()) {
      return; // nothing to undo later: the close has run
    }
    Room room = new Room(conversationId, afterSeq);
    rooms.put(conversationId, room);
    Future<Void> live = fanout.retain(conversationId, lastSeq, room);
    Future<Void> online = presence.enter(conversationId, userId, username);
    Future.all(live, online).onComplete(ar -> {
      if (ar.failed()) {
        failWith(ar.cause());
      } else {
        replay(room, afterSeq);
      }
    });
  }

  /** The user's personal events ({@code conversation_added}, ...), as the bridge's {@code client.user.<id>}. */
  void followPersonal() {
    if (response.isClosed()) {
      return;
    }
    personal = context.owner().eventBus().<JsonObject>consumer(ClientAddresses.user(userId),
        message -> response.write(SseFrames.event(message.body(), null)));
  }

  /** A last event ({@code gateway_closing} at a drain, {@code disconnected} from an operator), then the end. */
  void endWith(JsonObject notice) {
    response.end(SseFrames.event(notice, null));
  }

  private void replay(Room room, long afterSeq) {
    if (!rooms.containsKey(room.conversationId) || response.isClosed()) {
      return;
    }
    cluster.request(Addresses.CHAT_HISTORY_GET,
            new HistoryRequest(room.conversationId, userId, afterSeq, null, REPLAY_PAGE))
        .onComplete(ar -> {
          if (ar.failed()) {
            failWith(ar.cause());
            return;
          }
          ar.result().messages().forEach(m -> {
            JsonObject event = (JsonObject) m;
            if (room.filter.admit(event)) {
              response.writePaced(frame(event));
            }
          });
          if (ar.result().endsBeforeLastSeq()) {
            response.whenWritable(() -> replay(room, room.filter.lastSeq()));
            return;
          }
          ar.result().streams().forEach(s -> {
            JsonObject snapshot = (JsonObject) s;
            if (room.filter.admitSnapshot(snapshot)) {
              response.writePaced(SseFrames.event(snapshot.copy().put("type", SseFrames.SNAPSHOT)
                  .put("conversationId", room.conversationId), null));
            }
          });
          List<JsonObject> held = room.held;
          room.held = null; // live from here
          for (int i = 0; i < held.size(); i++) {
            if (holdForNewerSnapshot(room, held.get(i))) {
              room.held.addAll(held.subList(i, held.size()));
              return;
            }
            if (room.filter.admit(held.get(i))) {
              response.writePaced(frame(held.get(i)));
            }
          }
        });
  }

  private void onLive(Room room, JsonObject event, int size) {
    if (response.isClosed() || rooms.get(room.conversationId) != room) {
      return;
    }
    if (room.held != null || holdForNewerSnapshot(room, event)) {
      room.held.add(event);
      room.heldBytes += size;
      if (room.heldBytes > queueBytes) {
        response.slowConsumer();
      }
      return;
    }
    if (room.filter.admit(event)) {
      response.write(frame(event));
    }
  }

  /**
   * A chunk that skips an index (chunks passed the gateway by, live or while the replay was read): the room's
   * events are held again, from this one on, while the same replay brings the answer's newer snapshot. Each
   * such read comes after the chunk that asked for it, so its snapshot covers that chunk (a worker records a
   * chunk before it publishes it): only a chunk missed afterwards asks again.
   */
  private boolean holdForNewerSnapshot(Room room, JsonObject event) {
    if (!room.filter.skipsAhead(event)) {
      return false;
    }
    room.held = new ArrayList<>();
    room.heldBytes = 0;
    replay(room, room.filter.lastSeq());
    return true;
  }

  private Buffer frame(JsonObject event) {
    return seqIds ? SseFrames.event(event) : SseFrames.event(event, null);
  }

  /** No longer a member: the notice was written; the room stops here (and a one-room stream ends). */
  private void leave(Room room) {
    if (rooms.remove(room.conversationId, room)) {
      fanout.release(room.conversationId, room);
      presence.leave(room.conversationId, userId, username);
      if (endWithLastRoom && rooms.isEmpty()) {
        response.end(null);
      }
    }
  }

  private void failWith(Throwable err) {
    ChorusException mapped = Bus.toChorus(err, "event stream");
    response.fail(mapped.code().code(), mapped.getMessage());
  }

  private void closed() {
    for (Room room : List.copyOf(rooms.values())) {
      rooms.remove(room.conversationId);
      fanout.release(room.conversationId, room);
      presence.leave(room.conversationId, userId, username);
    }
    if (personal != null) {
      personal.unregister();
    }
  }
}
