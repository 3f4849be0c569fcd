package io.chorus.model;

/**
 * A failure with a contract code and a message meant for the client. It carries no stack trace:
 * it is an expected outcome (bad input, not a member...), not a bug.
 */
public final class ChorusException extends RuntimeException {
  private final ErrorCode code;
  private final boolean outcomeUnknown;

  public ChorusException(ErrorCode code, String message) {
    this(code, message, false);
  }

  private ChorusException(ErrorCode code, String message, boolean outcomeUnknown) {
    super(message, null, false, false);
    this.code = code;
    this.outcomeUnknown = outcomeUnknown;
  }

  public ErrorCode code() {
    return code;
  }

  /**
   * True when the request may have been carried out all the same (no reply in time): it must not be
   * sent again blindly, or it may happen twice.
   */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  public static ChorusException badRequest(String message) {
    return new ChorusException(ErrorCode.BAD_REQUEST, message);
  }

  public static ChorusException forbidden(String message) {
    return new ChorusException(ErrorCode.FORBIDDEN, message);
  }

  public static ChorusException notFound(String message) {
    return new ChorusException(ErrorCode.NOT_FOUND, message);
  }

  public static ChorusException unavailable(String message) {
    return new ChorusException(ErrorCode.UNAVAILABLE, message);
  }

  /** A 503 for a request that got no reply in time: see {@link #outcomeUnknown()}. */
  public static ChorusException timedOut(String message) {
    return new ChorusException(ErrorCode.UNAVAILABLE, message, true);
  }
}
