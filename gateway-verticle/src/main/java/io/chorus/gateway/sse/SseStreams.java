package io.chorus.gateway.sse;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.events.RoomEvents;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The event streams open on this gateway, streaming sends included: counted per user (at most
 * {@code MAX_SOCKETS_PER_USER}, as bridge sockets are, counted apart from them), closed with their login session
 * on a logout and told to reconnect elsewhere when the gateway drains. Edge context only.
 */
public final class SseStreams {
  /** One open stream: whose, of which login session, and its response. */
  private record Open(String userId, String sessionId, SseResponse response) {
    void endWith(JsonObject notice) {
      response.end(SseFrames.event(notice, null));
    }
  }

  private final int maxPerUser;
  private final Set<Open> open = new LinkedHashSet<>();
  private final Map<String, Integer> perUser = new HashMap<>();
  private boolean draining;
  private long slowClosed;

  public SseStreams(int maxPerUser) {
    this.maxPerUser = maxPerUser;
  }

  /**
   * Takes one of the user's places for a stream, before the stream's set-up (membership checks, the send) runs:
   * counted from here, so requests arriving together cannot all pass the check and then all open. 503 while the
   * gateway drains, 429 past {@code MAX_SOCKETS_PER_USER}. The place is the stream's once {@link #opened}, or given
   * back by {@link Place#abandon} when the set-up fails first.
   */
  Place reserve(String userId) {
    if (draining) {
      throw ChorusException.unavailable("this gateway is shutting down: connect to another one");
    }
    if (perUser.getOrDefault(userId, 0) >= maxPerUser) {
      throw new ChorusException(ErrorCode.RATE_LIMITED, "at most " + maxPerUser
          + " event streams per user on this gateway");
    }
    perUser.merge(userId, 1, Integer::sum);
    return new Place(userId);
  }

  /**
   * A user's place for one stream, held from {@link #reserve} until the stream closes, or until its set-up fails
   * before the stream opened ({@link #abandon}).
   */
  final class Place {
    private final String userId;
    private boolean held = true;
    private boolean opened;

    private Place(String userId) {
      this.userId = userId;
    }

    /**
     * The set-up failed: a place whose stream never opened is free again; one whose stream opened is freed when
     * that stream closes (failing the set-up fails its response), never twice. Safe to call more than once.
     */
    void abandon() {
      if (!opened) {
        giveBack();
      }
    }

    private void giveBack() {
      if (held) {
        held = false;
        perUser.computeIfPresent(userId, (user, count) -> count > 1 ? count - 1 : null);
      }
    }
  }

  void opened(Place place, String sessionId, SseResponse response) {
    place.opened = true;
    Open stream = new Open(place.userId, sessionId, response);
    open.add(stream);
    response.onSlowConsumer(() -> slowClosed++);
    response.onClose(() -> {
      if (open.remove(stream)) {
        place.giveBack();
      }
    });
  }

  public int open() {
    return open.size();
  }

  /** Streams ended because more than {@code SOCKET_QUEUE_BYTES} waited for their reader. */
  public long slowClosed() {
    return slowClosed;
  }

  /** A logout (on any gateway) ended this login session: its streams here end too. */
  public void closeSession(String sessionId) {
    Set.copyOf(open).stream().filter(s -> sessionId.equals(s.sessionId()))
        .forEach(s -> s.response().fail(401, "session ended"));
  }

  /**
   * An operator disconnected or suspended the user (on any gateway): each of their streams here gets
   * {@code notice} (a {@code disconnected} event), then ends, as their bridge sockets do.
   */
  public void closeUser(String userId, JsonObject notice) {
    Set.copyOf(open).stream().filter(s -> userId.equals(s.userId())).forEach(s -> s.endWith(notice));
  }

  /** The users with a stream here: an announcement reaches each once, on their personal events. */
  public Set<String> users() {
    return Set.copyOf(perUser.keySet());
  }

  /** The gateway is going away: each stream gets {@code gateway_closing} and ends. */
  public void closeAll(long reconnectAfterMs) {
    draining = true;
    Set.copyOf(open).forEach(s -> s.endWith(new JsonObject().put("type", RoomEvents.GATEWAY_CLOSING)
        .put("reconnectAfterMs", reconnectAfterMs)));
  }

}
