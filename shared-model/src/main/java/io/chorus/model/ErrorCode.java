package io.chorus.model;

/**
 * The contract's error codes: the same number is the event-bus failure code and the HTTP status.
 * Never send {@code ordinal()}: the numbers are part of the client contract.
 */
public enum ErrorCode {
  /** Missing or malformed field, wrong type, text too long. */
  BAD_REQUEST(400),
  /** Missing, bad or expired token. */
  UNAUTHORIZED(401),
  /** Not a member, not the owner, another user's address. */
  FORBIDDEN(403),
  /** No such conversation, user, file or stream. */
  NOT_FOUND(404),
  /** Name taken, or a state that forbids the change. */
  CONFLICT(409),
  /** A file or frame over the limit. */
  TOO_LARGE(413),
  /** Rate limited. */
  RATE_LIMITED(429),
  /** An unexpected failure; logged where it happened, sent without details. */
  INTERNAL(500),
  /** A service is unavailable: no LLM worker, database down, a request timed out. */
  UNAVAILABLE(503);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The code for a number received from the bus or HTTP; unknown numbers become {@link #INTERNAL}. */
  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}
