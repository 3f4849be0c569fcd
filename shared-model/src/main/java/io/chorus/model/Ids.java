package io.chorus.model;

import java.util.UUID;

/**
 * The one way ids are read: every id in Chorus (users, conversations, messages, files, streams) is a UUID,
 * and its string form on the wire and in addresses is the canonical lower-case one. A malformed id in a
 * request is the caller's mistake (400 naming the field); where a malformed id simply names nothing (a
 * path, an address), {@link #canonicalOrNull} lets the caller answer 404 or refuse as it must.
 */
public final class Ids {
  private Ids() {}

  /** {@code value} as a UUID; 400 naming {@code field} when it is missing or not a UUID. */
  public static UUID uuid(String value, String field) {
    if (value == null) {
      throw ChorusException.badRequest(field + " is required");
    }
    UUID parsed = parseOrNull(value);
    if (parsed == null) {
      throw ChorusException.badRequest(field + " must be a UUID");
    }
    return parsed;
  }

  /** Like {@link #uuid} but null stays null (an optional field). */
  public static UUID optUuid(String value, String field) {
    return value == null ? null : uuid(value, field);
  }

  /** {@code value} in canonical form; 400 naming {@code field} when it is missing or not a UUID. */
  public static String canonical(String value, String field) {
    return isCanonical(value) ? value : uuid(value, field).toString();
  }

  /** {@code value} in canonical form, or null when it is null or not a UUID. */
  public static String canonicalOrNull(String value) {
    if (isCanonical(value)) {
      return value;
    }
    UUID parsed = parseOrNull(value);
    return parsed == null ? null : parsed.toString();
  }

  /**
   * Whether {@code value} is a UUID written exactly in canonical form (as ids in addresses must be): 36
   * characters, lower-case hex digits with dashes at 8, 13, 18 and 23. Checked by its characters, so the ids
   * of every request (almost always canonical already) cost no parse and no new string.
   */
  public static boolean isCanonical(String value) {
    if (value == null || value.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = value.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static UUID parseOrNull(String value) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
