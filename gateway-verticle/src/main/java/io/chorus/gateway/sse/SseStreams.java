package io.chorus.gateway.sse;

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

  int maxPerUser() {
    return maxPerUser;
  }

  boolean draining() {
    return draining;
  }

  boolean mayOpen(String userId) {
    return !draining && perUser.getOrDefault(userId, 0) < maxPerUser;
  }

  void opened(String userId, String sessionId, SseResponse response) {
    Open stream = new Open(userId, sessionId, response);
    open.add(stream);
    perUser.merge(userId, 1, Integer::sum);
    response.onSlowConsumer(() -> slowClosed++);
    response.onClose(() -> {
      if (open.remove(stream)) {
        perUser.computeIfPresent(userId, (user, count) -> count > 1 ? count - 1 : null);
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
