package io.chorus.gateway.bridge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which user owns each open SockJS session. SockJS's polling transports address a session by the id in
 * the path ({@code /eventbus/<server>/<session>/xhr_send}), and every request is authenticated on its own
 * token: without this, anyone who learnt a session id could post frames into it, as its owner, and read its
 * replies with their own valid token. A session is bound when the bridge creates its socket and released
 * when it closes; a transport request for a bound session from another user is refused.
 */
public final class SockJsSessions {
  /** The SockJS transport URLs, as the protocol defines them: server and session ids without dots or slashes. */
  private static final Pattern TRANSPORT_PATH = Pattern.compile(
      "/eventbus/[^/.]+/([^/.]+)/(xhr|xhr_send|xhr_streaming|eventsource|htmlfile|jsonp|jsonp_send|websocket)");

  private static final String RAW_WEBSOCKET = "/eventbus/websocket";

  private final Map<String, String> owners = new ConcurrentHashMap<>();

  /** The session id of a SockJS transport URI (path, with or without a query), or null for any other. */
  static String sessionIdOf(String uri) {
    if (uri == null) {
      return null;
    }
    int query = uri.indexOf('?');
    Matcher matcher = TRANSPORT_PATH.matcher(query < 0 ? uri : uri.substring(0, query));
    return matcher.matches() ? matcher.group(1) : null;
  }

  /** Binds the session a socket was opened on (nothing for the raw {@code /eventbus/websocket}). */
  void opened(String socketUri, String userId) {
    String session = sessionIdOf(socketUri);
    if (session != null) {
      owners.putIfAbsent(session, userId);
    }
  }

  public void closed(String socketUri) {
    String session = sessionIdOf(socketUri);
    if (session != null) {
      owners.remove(session);
    }
  }

  /**
   * True for a request that would open a socket: the raw WebSocket, or a receiving transport of a session
   * not open yet ({@code xhr_send} only posts into an open one).
   */
  public boolean opensSocket(String path) {
    if (RAW_WEBSOCKET.equals(path)) {
      return true;
    }
    String session = sessionIdOf(path);
    return session != null && !path.endsWith("_send") && !owners.containsKey(session);
  }

  /** False when the URI names an open session that another user opened. */
  public boolean allows(String uri, String userId) {
    String session = sessionIdOf(uri);
    if (session == null) {
      return true;
    }
    String owner = owners.get(session);
    return owner == null || owner.equals(userId);
  }

  public int open() {
    return owners.size();
  }
}
