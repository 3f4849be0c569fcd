package io.chorus.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads fields of untrusted JSON and turns every missing or mistyped field into a 400 that names it.
 * Used for client bodies at the gateway and for records decoded from the bus.
 */
public final class Fields {
  private Fields() {}

  public static JsonObject object(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw ChorusException.badRequest("body must be a JSON object");
  }

  public static String string(JsonObject json, String key) {
    String value = optString(json, key);
    if (value == null) {
      throw ChorusException.badRequest(key + " is required");
    }
    return value;
  }

  public static String optString(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    throw ChorusException.badRequest(key + " must be a string");
  }

  /** A required UUID, returned in canonical lower-case form ({@link Ids#canonical}). */
  public static String uuid(JsonObject json, String key) {
    return Ids.canonical(string(json, key), key);
  }

  public static boolean bool(JsonObject json, String key, boolean defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw ChorusException.badRequest(key + " must be a boolean");
  }

  public static boolean bool(JsonObject json, String key) {
    if (json.getValue(key) == null) {
      throw ChorusException.badRequest(key + " is required");
    }
    return bool(json, key, false);
  }

  /**
   * An optional integer. A number with a fraction, or one outside the range of a long (JSON allows any
   * size: {@code 2^64+5} must not be read as 5), is a 400 naming the field.
   */
  public static Long optLong(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() > 63) {
        throw outOfRange(key);
      }
      return big.longValue();
    }
    if (value instanceof Number n) {
      BigDecimal decimal = n instanceof BigDecimal d ? d : toDecimal(n.doubleValue(), key);
      try {
        BigInteger integral = decimal.toBigIntegerExact();
        if (integral.bitLength() > 63) {
          throw outOfRange(key);
        }
        return integral.longValue();
      } catch (ArithmeticException e) {
        throw ChorusException.badRequest(key + " must be an integer");
      }
    }
    throw ChorusException.badRequest(key + " must be an integer");
  }

  /** An optional integer from text (a query parameter): null when absent, else as {@link #optLong}. */
  public static Long parseLong(String key, String text) {
    if (text == null) {
      return null;
    }
    if (!text.matches("[+-]?[0-9]+")) {
      throw ChorusException.badRequest(key + " must be an integer");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw outOfRange(key);
    }
  }

  /** An optional int from text (a query parameter), a 400 when out of the int range. */
  public static Integer parseInt(String key, String text) {
    return toInt(key, parseLong(key, text));
  }

  private static BigDecimal toDecimal(double value, String key) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw ChorusException.badRequest(key + " must be an integer");
    }
    return BigDecimal.valueOf(value);
  }

  private static ChorusException outOfRange(String key) {
    return ChorusException.badRequest(key + " is out of range");
  }

  public static long longValue(JsonObject json, String key) {
    Long value = optLong(json, key);
    if (value == null) {
      throw ChorusException.badRequest(key + " is required");
    }
    return value;
  }

  public static Integer optInt(JsonObject json, String key) {
    return toInt(key, optLong(json, key));
  }

  private static Integer toInt(String key, Long value) {
    if (value == null) {
      return null;
    }
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw outOfRange(key);
    }
    return value.intValue();
  }

  public static List<String> stringList(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw ChorusException.badRequest(key + " must be an array of strings");
    }
    List<String> out = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw ChorusException.badRequest(key + " must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }

  /**
   * A name or title shown to other users: a 400 naming the field for control characters (NUL and the
   * rest of C0 and C1, DEL), bidirectional overrides, embeddings and isolates (which make text read
   * differently from what it is), or an unpaired surrogate (not Unicode text: the database would store it
   * as '?'). Returns the value.
   */
  public static String label(String key, String value) {
    if (value == null) {
      return null;
    }
    wellFormed(key, value);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
        throw ChorusException.badRequest(key + " must not contain control characters");
      }
      if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
        throw ChorusException.badRequest(key + " must not contain bidirectional override characters");
      }
    }
    return value;
  }

  /** Text of any kind (a message): a 400 naming the field for an unpaired surrogate. Returns the value. */
  public static String wellFormed(String key, String value) {
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ChorusException.badRequest(key + " must not contain an unpaired surrogate (not Unicode text)");
      }
    }
    return value;
  }

  /** Puts the value unless it is null, so optional fields stay absent rather than null on the wire. */
  public static JsonObject putIfPresent(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
    return json;
  }
}
