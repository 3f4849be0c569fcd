package io.chorus.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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

  /** A required UUID, returned in canonical lower-case form. */
  public static String uuid(JsonObject json, String key) {
    String value = string(json, key);
    try {
      return UUID.fromString(value).toString();
    } catch (IllegalArgumentException e) {
      throw ChorusException.badRequest(key + " must be a UUID");
    }
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

  public static Long optLong(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw ChorusException.badRequest(key + " must be an integer");
  }

  public static long longValue(JsonObject json, String key) {
    Long value = optLong(json, key);
    if (value == null) {
      throw ChorusException.badRequest(key + " is required");
    }
    return value;
  }

  public static Integer optInt(JsonObject json, String key) {
    Long value = optLong(json, key);
    if (value == null) {
      return null;
    }
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw ChorusException.badRequest(key + " is out of range");
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

  /** Puts the value unless it is null, so optional fields stay absent rather than null on the wire. */
  public static JsonObject putIfPresent(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
    return json;
  }
}
