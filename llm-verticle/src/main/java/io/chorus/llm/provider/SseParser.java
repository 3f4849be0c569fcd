package io.chorus.llm.provider;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An incremental parser for {@code text/event-stream} (the WHATWG server-sent events format) fed with
 * network buffers as they arrive; used by {@link SseStream} for both wire formats.
 *
 * <p>Lines end with {@code \n}, {@code \r\n} or a lone {@code \r}, and a line end may be split across
 * buffers. Lines are decoded as UTF-8 only once complete, so a multi-byte character split across buffers
 * survives. {@code data:} lines accumulate (joined with {@code \n}), lines starting with {@code :} are
 * comments (keep-alives), a blank line dispatches the event. A line or event larger than the limit fails
 * with {@link TooLarge} rather than growing without bound. Not thread-safe: feed it from one
 * thread (the connection's event loop).
 */
public final class SseParser {
  /** A line or event over the limit: the stream is malformed (or hostile). */
  public static final class TooLarge extends IllegalStateException {
    TooLarge(String message) {
      super(message);
    }
  }

  /** Far above any real chunk, low enough that a runaway stream cannot exhaust memory. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;

  private final Consumer<SseEvent> handler;
  private final int maxEventBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventName;
  private String lastId;
  private boolean lastWasCr;

  public SseParser(Consumer<SseEvent> handler) {
    this(handler, DEFAULT_MAX_EVENT_BYTES);
  }

  public SseParser(Consumer<SseEvent> handler, int maxEventBytes) {
    this.handler = handler;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Parses the bytes and dispatches every event completed by them, in order. Whole runs of bytes between
   * line ends are copied at once: this runs for every token of every answer.
   */
  public void feed(Buffer buffer) {
    byte[] bytes = buffer.getBytes();
    int lineStart = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b != '\n' && b != '\r') {
        continue;
      }
      if (b == '\n' && lastWasCr && i == lineStart) {
        lastWasCr = false; // the LF of a CRLF whose CR ended the previous line
        lineStart = i + 1;
        continue;
      }
      append(bytes, lineStart, i - lineStart);
      lastWasCr = b == '\r';
      endLine();
      lineStart = i + 1;
    }
    if (lineStart < bytes.length) {
      append(bytes, lineStart, bytes.length - lineStart);
      lastWasCr = false;
    }
  }

  private void append(byte[] bytes, int from, int length) {
    line.write(bytes, from, length);
    if (line.size() + data.length() > maxEventBytes) {
      throw new TooLarge("server-sent event larger than " + maxEventBytes + " bytes");
    }
  }

  /**
   * The stream ended. The format says an unterminated event is dropped; we dispatch it instead, so a
   * server that closes right after {@code data: [DONE]} without the blank line is still understood.
   */
  public void end() {
    if (line.size() > 0) {
      endLine();
    }
    dispatch();
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      return; // a comment, typically a keep-alive
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> eventName = value;
      case "id" -> lastId = value;
      default -> { } // "retry" and unknown fields are ignored, as the format requires
    }
  }

  private void dispatch() {
    if (hasData) {
      SseEvent event = new SseEvent(eventName == null || eventName.isEmpty() ? SseEvent.DEFAULT_EVENT : eventName,
          data.toString(), lastId);
      data.setLength(0);
      hasData = false;
      eventName = null;
      handler.accept(event);
    } else {
      eventName = null;
    }
  }
}
