package io.chorus.llm.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  private static final byte[] DATA = {'d', 'a', 't', 'a'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
  private static final byte[] ID = {'i', 'd'};

  private final Consumer<SseEvent> handler;
  private final int maxEventBytes;
  /** The line being read, as bytes: decoded once it is complete, and then only its value. */
  private byte[] line = new byte[256];
  private int lineLength;
  /**
   * The event's data: its first line as is (an event of one data line, every chunk of every answer, costs no
   * copy), further lines joined in {@link #moreData}.
   */
  private String firstData;
  private final StringBuilder moreData = new StringBuilder();
  private int dataLines;
  private int dataChars;
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
    int length = buffer.length();
    int lineStart = 0;
    for (int i = 0; i < length; i++) {
      byte b = buffer.getByte(i);
      if (b != '\n' && b != '\r') {
        continue;
      }
      if (b == '\n' && lastWasCr && i == lineStart) {
        lastWasCr = false; // the LF of a CRLF whose CR ended the previous line
        lineStart = i + 1;
        continue;
      }
      append(buffer, lineStart, i);
      lastWasCr = b == '\r';
      endLine();
      lineStart = i + 1;
    }
    if (lineStart < length) {
      append(buffer, lineStart, length);
      lastWasCr = false;
    }
  }

  private void append(Buffer buffer, int from, int to) {
    int length = to - from;
    if (lineLength + length + dataChars > maxEventBytes) {
      throw new TooLarge("server-sent event larger than " + maxEventBytes + " bytes");
    }
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
    }
    buffer.getBytes(from, to, line, lineLength);
    lineLength += length;
  }

  /**
   * The stream ended. The format says an unterminated event is dropped; we dispatch it instead, so a
   * server that closes right after {@code data: [DONE]} without the blank line is still understood.
   */
  public void end() {
    if (lineLength > 0) {
      endLine();
    }
    dispatch();
  }

  /** Splits the line at its first colon on the bytes (a colon is never part of a multi-byte character). */
  private void endLine() {
    int length = lineLength;
    lineLength = 0;
    if (length == 0) {
      dispatch();
      return;
    }
    if (line[0] == ':') {
      return; // a comment, typically a keep-alive
    }
    int colon = 0;
    while (colon < length && line[colon] != ':') {
      colon++;
    }
    int valueStart = Math.min(colon + 1, length);
    if (valueStart < length && line[valueStart] == ' ') {
      valueStart++;
    }
    if (isField(DATA, colon)) {
      String value = value(valueStart, length);
      if (dataLines == 0) {
        firstData = value;
      } else {
        if (dataLines == 1) {
          moreData.setLength(0);
          moreData.append(firstData);
        }
        moreData.append('\n').append(value);
      }
      dataLines++;
      dataChars += value.length() + 1;
    } else if (isField(EVENT, colon)) {
      eventName = value(valueStart, length);
    } else if (isField(ID, colon)) {
      lastId = value(valueStart, length);
    } // "retry" and unknown fields are ignored, as the format requires
  }

  private boolean isField(byte[] name, int nameLength) {
    return nameLength == name.length && Arrays.equals(line, 0, nameLength, name, 0, nameLength);
  }

  private String value(int from, int to) {
    return new String(line, from, to - from, StandardCharsets.UTF_8);
  }

  private void dispatch() {
    if (dataLines > 0) {
      SseEvent event = new SseEvent(eventName == null || eventName.isEmpty() ? SseEvent.DEFAULT_EVENT : eventName,
          dataLines == 1 ? firstData : moreData.toString(), lastId);
      firstData = null;
      dataLines = 0;
      dataChars = 0;
      eventName = null;
      handler.accept(event);
    } else {
      eventName = null;
    }
  }
}
