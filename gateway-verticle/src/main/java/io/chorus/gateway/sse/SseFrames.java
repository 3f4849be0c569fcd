package io.chorus.gateway.sse;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The Server-Sent Events wire: a room event as {@code event: <type>}, {@code id: <seq>} for a persisted one
 * (so a browser's {@code EventSource} resumes from it with {@code Last-Event-ID}), {@code data: <the event's
 * JSON, as on the bridge>}. JSON as encoded has no line breaks (they are escaped), so one {@code data} line is
 * the whole event.
 */
public final class SseFrames {
  public static final String ERROR = "error";
  public static final String SNAPSHOT = "ai_stream_snapshot";

  private SseFrames() {}

  public static Buffer event(JsonObject event) {
    return event(event, event.getValue("seq") instanceof Number seq ? String.valueOf(seq.longValue()) : null);
  }

  /** With the given {@code id} (none when null). */
  public static Buffer event(JsonObject event, String id) {
    StringBuilder frame = new StringBuilder(64).append("event: ").append(event.getString("type", "message"))
        .append('\n');
    if (id != null) {
      frame.append("id: ").append(id).append('\n');
    }
    return Buffer.buffer(frame.append("data: ").append(event.encode()).append("\n\n").toString());
  }

  /** A comment line: clients ignore it; it keeps proxies from closing a quiet stream. */
  public static Buffer comment(String text) {
    return Buffer.buffer(": " + text + "\n\n");
  }

  /** {@code event: error} with {@code {"error", "code"}}, the shape of the API's HTTP errors. */
  public static Buffer error(int code, String message) {
    return event(new JsonObject().put("type", ERROR).put("error", message).put("code", code), null);
  }
}
