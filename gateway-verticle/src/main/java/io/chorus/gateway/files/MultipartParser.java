package io.chorus.gateway.files;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A streaming reader of a {@code multipart/form-data} body (RFC 7578), fed the body one network read at
 * a time. It passes each part's bytes on as they arrive and holds back only what could be the start of
 * the next boundary, so its memory is one read plus a boundary, whatever the size of the file. (Netty's
 * decoder, behind Vert.x's {@code setExpectMultipart}, keeps up to 10 MB of consumed body per request.)
 * A malformed body is a 400; a body longer than its bound, whatever part the bytes are in (an ignored
 * field, the epilogue), is a 413.
 */
public final class MultipartParser {
  /** What the parser found, in body order. */
  interface Listener {
    /** A part begins; {@code filename} is null for a plain field. */
    void partStart(String name, String filename);

    void partData(Buffer data);

    void partEnd();
  }

  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  private enum State { PREAMBLE, AFTER_BOUNDARY, HEADERS, BODY, DONE }

  private final byte[] delimiter;
  private final Listener listener;
  private final long maxBodyBytes;
  private long bodyBytes;
  private State state = State.PREAMBLE;
  // A body starts with "--boundary" and not "\r\n--boundary": a CRLF in front makes them the same case.
  private Buffer carry = Buffer.buffer("\r\n");

  /** {@code maxBodyBytes} bounds the whole body, every byte fed counted. */
  MultipartParser(String boundary, Listener listener, long maxBodyBytes) {
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    this.listener = listener;
    this.maxBodyBytes = maxBodyBytes;
  }

  MultipartParser(String boundary, Listener listener) {
    this(boundary, listener, Long.MAX_VALUE);
  }

  /** The boundary of a multipart/form-data content type (RFC 2046: 1-70 characters), or null. */
  static String boundary(String contentType) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String value = unquote(p.substring("boundary=".length()).trim());
        boolean valid = !value.isEmpty() && value.length() <= 70 && !value.endsWith(" ")
            && value.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
        return valid ? value : null;
      }
    }
    return null;
  }

  /** True once the closing boundary was read; whatever follows it is ignored. */
  boolean done() {
    return state == State.DONE;
  }

  void feed(Buffer data) {
    bodyBytes += data.length();
    if (bodyBytes > maxBodyBytes) {
      throw new ChorusException(ErrorCode.TOO_LARGE, "the multipart body is larger than " + maxBodyBytes + " bytes");
    }
    if (state == State.DONE) {
      return;
    }
    Buffer input = carry.length() == 0 ? data : carry.appendBuffer(data);
    byte[] bytes = input.getBytes();
    int pos = 0;
    while (state != State.DONE) {
      int next = step(input, bytes, pos);
      if (next < 0) {
        break;
      }
      pos = next;
    }
    carry = state == State.DONE ? Buffer.buffer() : input.getBuffer(pos, bytes.length);
  }

  /** Consumes what it can from {@code pos}; returns the new position, or -1 when it needs more bytes. */
  private int step(Buffer input, byte[] bytes, int pos) {
    switch (state) {
      case PREAMBLE: {
        int at = indexOf(bytes, delimiter, pos);
        if (at < 0) {
          // A preamble means nothing: drop it, keeping what might begin the first boundary.
          int safe = Math.max(pos, bytes.length - (delimiter.length - 1));
          return safe == pos ? -1 : safe;
        }
        state = State.AFTER_BOUNDARY;
        return at + delimiter.length;
      }
      case AFTER_BOUNDARY: {
        if (bytes.length - pos < 2) {
          return -1;
        }
        if (bytes[pos] == '-' && bytes[pos + 1] == '-') {
          state = State.DONE;
          return pos + 2;
        }
        if (bytes[pos] != '\r' || bytes[pos + 1] != '\n') {
          throw malformed("no line break after a boundary");
        }
        state = State.HEADERS;
        return pos + 2;
      }
      case HEADERS: {
        int end = indexOf(bytes, HEADER_END, pos);
        if (end < 0) {
          if (bytes.length - pos > MAX_HEADER_BYTES) {
            throw malformed("part headers are too long");
          }
          return -1;
        }
        startPart(new String(bytes, pos, end - pos, StandardCharsets.UTF_8));
        state = State.BODY;
        return end + HEADER_END.length;
      }
      case BODY: {
        int at = indexOf(bytes, delimiter, pos);
        if (at < 0) {
          // Keep back what might be the beginning of the delimiter; the rest is file data for sure.
          int safe = Math.max(pos, bytes.length - (delimiter.length - 1));
          if (safe > pos) {
            listener.partData(input.slice(pos, safe));
          }
          return safe == pos ? -1 : safe;
        }
        if (at > pos) {
          listener.partData(input.slice(pos, at));
        }
        listener.partEnd();
        state = State.AFTER_BOUNDARY;
        return at + delimiter.length;
      }
      default:
        return -1;
    }
  }

  private void startPart(String headers) {
    String name = null;
    String filename = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
        name = param(line.substring(colon + 1), "name");
        filename = param(line.substring(colon + 1), "filename");
      }
    }
    if (name == null) {
      throw malformed("a part has no name");
    }
    listener.partStart(name, filename);
  }

  /**
   * A parameter of a Content-Disposition value, quoted or not. Browsers escape a quote in a file name as
   * {@code %22}, so a quoted value ends at the next quote; backslashes stay (they may be Windows paths).
   */
  static String param(String value, String key) {
    int i = 0;
    while ((i = value.indexOf(';', i)) >= 0) {
      i++;
      int eq = value.indexOf('=', i);
      if (eq < 0) {
        return null;
      }
      String candidate = value.substring(i, eq).trim();
      int start = eq + 1;
      while (start < value.length() && value.charAt(start) == ' ') {
        start++;
      }
      String found;
      if (start < value.length() && value.charAt(start) == '"') {
        int close = value.indexOf('"', start + 1);
        found = value.substring(start + 1, close < 0 ? value.length() : close);
        i = close < 0 ? value.length() : close;
      } else {
        int semicolon = value.indexOf(';', start);
        found = value.substring(start, semicolon < 0 ? value.length() : semicolon).trim();
        i = semicolon < 0 ? value.length() : semicolon;
      }
      if (candidate.equalsIgnoreCase(key)) {
        return found;
      }
    }
    return null;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
  }

  private static int indexOf(byte[] bytes, byte[] pattern, int from) {
    int last = bytes.length - pattern.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (bytes[i] != pattern[0]) {
        continue;
      }
      for (int k = 1; k < pattern.length; k++) {
        if (bytes[i + k] != pattern[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static ChorusException malformed(String why) {
    return ChorusException.badRequest("malformed multipart body: " + why);
  }
}
