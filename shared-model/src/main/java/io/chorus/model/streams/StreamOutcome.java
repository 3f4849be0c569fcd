package io.chorus.model.streams;

import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UserInfo;
import java.util.Objects;

/**
 * How an answer ended, whoever ends it (its worker, or a chat node for a worker that is gone): finished
 * with a {@link FinishReason} other than {@code error}, or failed with the contract code and the short
 * message members see. {@link StreamEndings} turns it into what is stored and published.
 */
public sealed interface StreamOutcome {

  Usage usage();

  /**
   * Ended normally or by a member's stop: the text is stored as the answer. {@code stoppedBy} is the member who
   * stopped it (null for any other ending, an operator's drain included).
   */
  record Finished(FinishReason reason, Usage usage, UserInfo stoppedBy) implements StreamOutcome {
    public Finished {
      if (Objects.requireNonNull(reason, "reason") == FinishReason.ERROR) {
        throw new IllegalArgumentException("a failed answer is a StreamOutcome.Failed");
      }
    }
  }

  /** Failed: the partial text, if any reached the room, is stored with {@code finishReason=error}. */
  record Failed(int code, String message, Usage usage) implements StreamOutcome {}

  static StreamOutcome finished(FinishReason reason, Usage usage) {
    return new Finished(reason, usage, null);
  }

  /** Stopped by a member: cancelled, the text so far kept, and who stopped it (null: nobody named). */
  static StreamOutcome stopped(Usage usage, UserInfo by) {
    return new Finished(FinishReason.CANCELLED, usage, by);
  }

  static StreamOutcome failed(int code, String message, Usage usage) {
    return new Failed(code, message, usage);
  }
}
