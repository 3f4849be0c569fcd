package io.chorus.model.storage;

/**
 * Why an answer ended, as the contract names it ({@code finishReason} of {@code ai_response_complete} and
 * of a stored assistant message): the model stopped, hit its length limit, a member stopped it, or it
 * failed after some text reached the room (only the partial text is kept).
 */
public enum FinishReason {
  STOP("stop"),
  LENGTH("length"),
  CANCELLED("cancelled"),
  ERROR("error");

  private final String wireName;

  FinishReason(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire and in the database. */
  public String wireName() {
    return wireName;
  }

  /**
   * A provider's finish reason as the contract knows it: {@code length} stays length; {@code stop},
   * {@code content_filter}, {@code tool_calls}, none at all and the like end as stop.
   */
  public static FinishReason ofProvider(String providerReason) {
    return LENGTH.wireName.equals(providerReason) ? LENGTH : STOP;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
