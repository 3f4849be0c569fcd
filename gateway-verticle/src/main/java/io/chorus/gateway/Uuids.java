package io.chorus.gateway;

import java.util.UUID;

/**
 * Ids from paths and addresses, which a client writes: the gateway's one parse of a UUID. (shared-model's
 * {@code Fields.uuid} parses the fields of a JSON body, with a 400 for a bad one.)
 */
public final class Uuids {
  private Uuids() {}

  /** The UUID in canonical lower-case form, or null when {@code value} is not one (or is null). */
  public static String canonicalOrNull(String value) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
