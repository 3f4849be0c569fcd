package io.chorus.gateway.bridge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The size of a bridge frame in bytes as a client sends it: compact JSON in UTF-8. The bridge hands the
 * rules a parsed frame; encoding it again would count each non-ASCII character as a {@code \\uXXXX}
 * escape (six bytes per UTF-16 unit, twelve per emoji) and refuse valid text far below
 * {@code MAX_FRAME_BYTES}. So the parsed tree is measured instead, every string in UTF-8.
 */
public final class FrameSize {
  private FrameSize() {}

  static long utf8Bytes(Object value) {
    if (value == null) {
      return 4;
    }
    if (value instanceof String s) {
      return stringBytes(s);
    }
    if (value instanceof JsonObject json) {
      return objectBytes(json.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      return objectBytes(map);
    }
    if (value instanceof JsonArray array) {
      return arrayBytes(array.getList());
    }
    if (value instanceof List<?> list) {
      return arrayBytes(list);
    }
    return String.valueOf(value).length(); // numbers and booleans: ASCII
  }

  private static long objectBytes(Map<?, ?> map) {
    long size = 2 + Math.max(0, map.size() - 1); // braces and commas
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      size += stringBytes(String.valueOf(entry.getKey())) + 1 + utf8Bytes(entry.getValue());
    }
    return size;
  }

  private static long arrayBytes(List<?> list) {
    long size = 2 + Math.max(0, list.size() - 1);
    for (Object item : list) {
      size += utf8Bytes(item);
    }
    return size;
  }

  /** Quotes, two-byte escapes for quote, backslash and control characters, and UTF-8 for the rest. */
  private static long stringBytes(String s) {
    long size = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        size += 2;
      } else if (c < 0x20) {
        size += 6; // \\u00XX, or less for \\n and the like: never more
      } else if (c < 0x80) {
        size += 1;
      } else if (c < 0x800) {
        size += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        size += 4;
        i++;
      } else {
        size += 3;
      }
    }
    return size;
  }
}
