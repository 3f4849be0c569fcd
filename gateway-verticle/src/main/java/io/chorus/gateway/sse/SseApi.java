package io.chorus.gateway.sse;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Ids;
import io.chorus.gateway.bridge.Presence;
import io.chorus.gateway.bridge.RoomFanout;
import io.chorus.gateway.bridge.SocketOutbox;
import io.chorus.gateway.http.HttpReplies;
import io.chorus.gateway.http.JsonBodies;
import io.chorus.gateway.http.TokenService;
import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.Fields;
import io.chorus.model.chat.HistoryRequest;
import io.chorus.model.chat.SendMessage;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.MemberRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real time over plain HTTP (docs/protocol.md, "HTTP-only clients"): {@code GET /api/conversations/{id}/events}
 * and {@code GET /api/events} answer {@code text/event-stream}, resumable by seq; a send with
 * {@code Accept: text/event-stream} streams its own message and answer. Refusals (401, 403, 404, 429) come
 * before the stream starts, as ordinary JSON errors.
 */
public final class SseApi {
  private final ClusterClient cluster;
  private final RoomFanout fanout;
  private final Presence presence;
  private final SseStreams streams;
  private final int queueBytes;
  private final int maxRooms;

  public SseApi(ClusterClient cluster, RoomFanout fanout, Presence presence, SseStreams streams, int queueBytes,
      int maxRooms) {
    this.cluster = cluster;
    this.fanout = fanout;
    this.presence = presence;
    this.streams = streams;
    this.queueBytes = queueBytes;
    this.maxRooms = maxRooms;
  }

  /** True when the client asked for an event stream ({@code Accept: text/event-stream}). */
  public static boolean wantsStream(RoutingContext ctx) {
    String accept = ctx.request().getHeader("accept");
    return accept != null && accept.toLowerCase().contains("text/event-stream");
  }

  /** {@code GET /api/conversations/{id}/events}: one room, ids are its seqs. */
  public void roomEvents(RoutingContext ctx) {
    Future.succeededFuture().compose(v -> {
      String conversationId = pathUuid(ctx);
      Long after = afterSeq(ctx);
      SseStreams.Place place = streams.reserve(userId(ctx));
      return member(ctx, conversationId).map(conversation -> {
        EventStream stream = open(ctx, place, true);
        stream.follow(conversationId, conversation.lastSeq(), after == null ? conversation.lastSeq() : after);
        return stream;
      }).onFailure(err -> place.abandon());
    }).onFailure(err -> HttpReplies.fail(ctx, err));
  }

  /**
   * {@code GET /api/events}: the caller's personal events, and with {@code ?conversations=a,b:12} those rooms
   * (each from now, or resumed after the seq given with it).
   */
  public void allEvents(RoutingContext ctx) {
    Future.succeededFuture().compose(v -> {
      Map<String, Long> wanted = conversations(ctx.queryParams().get("conversations"));
      SseStreams.Place place = streams.reserve(userId(ctx));
      List<Future<ConversationInfo>> checks = new ArrayList<>();
      wanted.keySet().forEach(id -> checks.add(member(ctx, id)));
      return Future.all(checks).map(all -> {
        EventStream stream = open(ctx, place, false);
        stream.followPersonal();
        checks.forEach(check -> {
          ConversationInfo conversation = check.result();
          Long after = wanted.get(conversation.conversationId());
          stream.follow(conversation.conversationId(), conversation.lastSeq(),
              after == null ? conversation.lastSeq() : after);
        });
        return stream;
      }).onFailure(err -> place.abandon());
    }).onFailure(err -> HttpReplies.fail(ctx, err));
  }

  /**
   * {@code POST /api/conversations/{id}/messages} with {@code Accept: text/event-stream}: the room is joined
   * before the send, so the message's {@code new_message} and its answer's events cannot pass by; the stream
   * ends with the answer's terminal event. Closing it does not stop the answer.
   */
  public void streamingSend(RoutingContext ctx) {
    Future.succeededFuture().compose(v -> {
      String conversationId = pathUuid(ctx);
      JsonObject body = JsonBodies.of(ctx);
      SendMessage send = new SendMessage(conversationId, userId(ctx), TokenService.username(ctx.user()),
          Fields.wellFormed("text", Fields.string(body, "text")),
          Fields.wellFormed("clientMsgId", Fields.optString(body, "clientMsgId")), Fields.bool(body, "ai", false));
      SseStreams.Place place = streams.reserve(send.userId());
      return member(ctx, conversationId)
          .compose(conversation -> new AnswerStream(ctx, conversation, send, place).start())
          .onFailure(err -> place.abandon());
    }).onFailure(err -> HttpReplies.fail(ctx, err));
  }

  /** The follower of one streaming send: a member of the room from before the send until the answer ends. */
  private final class AnswerStream implements RoomFanout.Member {
    private final RoutingContext ctx;
    private final ConversationInfo conversation;
    private final SendMessage send;
    private final SendFilter filter;
    private final SseStreams.Place place;
    private final io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    private SseResponse response;
    private boolean released;

    AnswerStream(RoutingContext ctx, ConversationInfo conversation, SendMessage send, SseStreams.Place place) {
      this.ctx = ctx;
      this.conversation = conversation;
      this.send = send;
      this.place = place;
      this.filter = new SendFilter();
    }

    Future<Void> start() {
      String id = conversation.conversationId();
      // The membership again once in the room, as a bridge register does (the room was joined on it).
      return fanout.retain(id, conversation.lastSeq(), this)
          .compose(v -> cluster.request(Addresses.STORAGE_MEMBER_CHECK, new MemberRef(id, send.userId())))
          .compose(v -> cluster.request(Addresses.CHAT_MESSAGE_SEND, send))
          .onFailure(err -> release())
          .compose(result -> {
            response = new SseResponse(ctx, queueBytes);
            response.onClose(this::release);
            streams.opened(place, TokenService.sessionId(ctx.user()), response);
            response.open(201, () -> {});
            List<JsonObject> ready = filter.sent(result);
            if (filter.storedBefore(conversation.lastSeq())) {
              return writeStoredMessage(result.seq());
            }
            writeAll(ready);
            return Future.succeededFuture();
          });
    }

    /** A resend of a known clientMsgId: its event is read from history, and the stream ends. */
    private Future<Void> writeStoredMessage(long seq) {
      return cluster.request(Addresses.CHAT_HISTORY_GET,
              new HistoryRequest(conversation.conversationId(), send.userId(), seq - 1, null, 1))
          .onComplete(ar -> {
            if (ar.succeeded() && !ar.result().messages().isEmpty()) {
              response.end(SseFrames.event(ar.result().messages().getJsonObject(0)));
            } else {
              response.fail(ar.failed() ? Bus.toChorus(ar.cause(), "send").code().code() : 404,
                  "the message could not be read back");
            }
          }).mapEmpty();
    }

    private void writeAll(List<JsonObject> events) {
      for (JsonObject event : events) {
        response.write(SseFrames.event(event));
      }
      if (filter.done()) {
        response.end(null);
      } else if (filter.takeSnapshotWanted()) {
        readSnapshot();
      }
    }

    /** A chunk of the answer passed this sender by: the text so far is read from the running stream. */
    private void readSnapshot() {
      cluster.request(Addresses.CHAT_HISTORY_GET,
              new HistoryRequest(conversation.conversationId(), send.userId(), null, null, 1))
          .onComplete(ar -> {
            if (released || response.isClosed()) {
              return;
            }
            JsonObject snapshot = null;
            if (ar.succeeded()) {
              for (Object stream : ar.result().streams()) {
                if (stream instanceof JsonObject s && filter.isOwnStream(s)) {
                  snapshot = s;
                }
              }
            }
            writeAll(filter.repaired(snapshot));
          });
    }

    @Override
    public String userId() {
      return send.userId();
    }

    @Override
    public void write(io.vertx.core.buffer.Buffer frame, SocketOutbox.Kind kind) {
      // Not called: deliver is.
    }

    @Override
    public void deliver(JsonObject event, io.vertx.core.buffer.Buffer frame, SocketOutbox.Kind kind) {
      context.runOnContext(v -> {
        if (released) {
          return;
        }
        List<JsonObject> ready = filter.offer(event);
        if (response != null && !response.isClosed()) {
          writeAll(ready);
        }
      });
    }

    @Override
    public void evicted(String conversationId) {
      context.runOnContext(v -> {
        if (response != null) {
          response.fail(ErrorCode.FORBIDDEN.code(), "you are no longer a member of this conversation");
        }
        release();
      });
    }

    private void release() {
      if (!released) {
        released = true;
        fanout.release(conversation.conversationId(), this);
      }
    }
  }

  private EventStream open(RoutingContext ctx, SseStreams.Place place, boolean oneRoom) {
    User user = ctx.user();
    SseResponse response = new SseResponse(ctx, queueBytes);
    EventStream stream = new EventStream(cluster, fanout, presence, response, TokenService.userId(user),
        TokenService.username(user), TokenService.sessionId(user), oneRoom, queueBytes);
    streams.opened(place, stream.sessionId, response);
    response.open(200, () -> {
      if (user.expired()) {
        response.fail(401, "token expired: reconnect with a fresh one");
      }
    });
    return stream;
  }

  private Future<ConversationInfo> member(RoutingContext ctx, String conversationId) {
    return cluster.request(Addresses.STORAGE_CONVERSATION_GET, new MemberRef(conversationId, userId(ctx)));
  }

  /** {@code Last-Event-ID} (what EventSource sends on reconnecting), else {@code ?afterSeq=}; null for neither. */
  private static Long afterSeq(RoutingContext ctx) {
    String lastEventId = ctx.request().getHeader("last-event-id");
    Long after = lastEventId != null && !lastEventId.isBlank()
        ? Fields.parseLong("Last-Event-ID", lastEventId.strip())
        : Fields.parseLong("afterSeq", ctx.queryParams().get("afterSeq"));
    if (after != null && after < 0) {
      throw ChorusException.badRequest("afterSeq must not be negative");
    }
    return after;
  }

  /** {@code a,b:12,c}: conversation ids, each optionally with the seq to resume after. */
  private Map<String, Long> conversations(String param) {
    Map<String, Long> wanted = new LinkedHashMap<>();
    if (param == null || param.isBlank()) {
      return wanted;
    }
    for (String item : param.split(",")) {
      String[] parts = item.strip().split(":", 2);
      String id = Ids.canonicalOrNull(parts[0]);
      if (id == null) {
        throw ChorusException.notFound("no such conversation");
      }
      Long after = parts.length == 2 ? Fields.parseLong("conversations", parts[1]) : null;
      if (after != null && after < 0) {
        throw ChorusException.badRequest("a seq in conversations must not be negative");
      }
      wanted.put(id, after);
    }
    if (wanted.size() > maxRooms) {
      throw ChorusException.badRequest("at most " + maxRooms + " conversations on one event stream");
    }
    return wanted;
  }

  private static String pathUuid(RoutingContext ctx) {
    String id = Ids.canonicalOrNull(ctx.pathParam("id"));
    if (id == null) {
      throw ChorusException.notFound("no such conversation");
    }
    return id;
  }

  private static String userId(RoutingContext ctx) {
    return TokenService.userId(ctx.user());
  }
}
