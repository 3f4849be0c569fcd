package io.chorus.model;

import java.util.Map;

/**
 * Reads typed settings from environment variables with defaults; a bad value stops start-up with a
 * message that names the variable. Each service's config record is built with it.
 */
public final class Env {
  private final Map<String, String> env;

  public Env(Map<String, String> env) {
    this.env = env;
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  public String string(String key, String defaultValue) {
    String value = env.get(key);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  public int integer(String key, int defaultValue, int min, int max) {
    String value = string(key, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
    }
  }

  public long longValue(String key, long defaultValue, long min, long max) {
    String value = string(key, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
    }
  }

  /** The database URI shared by every service that needs one (see docs/design.md). */
  public String pgUri() {
    return string("PG_URI", "postgresql://postgres@127.0.0.1:5432/chorus");
  }
}
