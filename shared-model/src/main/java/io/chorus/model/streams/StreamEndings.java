package io.chorus.model.streams;

import io.chorus.model.ErrorCode;
import io.chorus.model.Futures;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Ending a stream, written once for its worker ({@code llm}'s StreamSession) and for a chat node ending
 * the stream of a worker that is gone ({@code chat}'s StreamEnder). The caller has claimed the stream
 * ({@link StreamRegistry#claim}), so it alone publishes the ending: this stores the text that reached the
 * room, as the outcome says, and names the one event to publish.
 *
 * <ul>
 *   <li>Finished: the text is stored as the answer; the event is its {@code ai_response_complete}.
 *   <li>Failed with text: the partial text is stored with {@code finishReason=error}; the event is its
 *       {@code ai_response_error} carrying it.
 *   <li>Failed without text: nothing is stored; the event is a bare {@code ai_response_error}.
 *   <li>The store failed: the event is a bare {@code ai_response_error} all the same (a room must not wait
 *       forever for an ending), 503 "the answer could not be saved" for an answer that finished.
 * </ul>
 */
public final class StreamEndings {
  /** What members see when a finished answer could not be stored. */
  public static final String NOT_SAVED = "the answer could not be saved";

  private StreamEndings() {}

  /**
   * The outcome of ending one stream: the event to publish, and the stored message (null when nothing
   * was stored) or why storing it failed (null when it did not).
   */
  public record Ending(JsonObject event, StoredMessage stored, Throwable storeFailure) {}

  /**
   * Stores what {@code outcome} keeps of {@code claimed} (its ids and {@code text}, the text that reached
   * the room) through {@code append}, then names the event to publish. Never fails.
   */
  public static Future<Ending> end(StreamState claimed, StreamOutcome outcome,
      Function<AppendMessage, Future<StoredMessage>> append) {
    AppendMessage message = toStore(claimed, outcome);
    if (message == null) {
      return Future.succeededFuture(new Ending(bareError(claimed, outcome), null, null));
    }
    return Futures.attempt(append, message)
        .map(stored -> new Ending(stored.toEvent(), stored, null))
        .otherwise(err -> new Ending(bareError(claimed, outcome), null, err));
  }

  /**
   * What is stored for the outcome, or null when nothing is (a failure before any text). The answer is stored as
   * asked by the stream's asker, who may not be the question's author (a regenerate), so usage counts for them.
   */
  static AppendMessage toStore(StreamState claimed, StreamOutcome outcome) {
    if (outcome instanceof StreamOutcome.Finished finished) {
      return AppendMessage.assistant(claimed.conversationId(), claimed.replyTo(), claimed.streamId(), claimed.text(),
          finished.reason(), finished.usage()).stoppedBy(finished.stoppedBy()).askedBy(claimed.userId());
    }
    StreamOutcome.Failed failed = (StreamOutcome.Failed) outcome;
    if (claimed.text().isEmpty()) {
      return null;
    }
    return AppendMessage.assistantError(claimed.conversationId(), claimed.replyTo(), claimed.streamId(),
        claimed.text(), failed.code(), failed.message(), failed.usage()).askedBy(claimed.userId());
  }

  private static JsonObject bareError(StreamState claimed, StreamOutcome outcome) {
    return outcome instanceof StreamOutcome.Failed failed
        ? RoomEvents.aiError(claimed.conversationId(), claimed.streamId(), failed.code(), failed.message(), null)
        : RoomEvents.aiError(claimed.conversationId(), claimed.streamId(), ErrorCode.UNAVAILABLE.code(), NOT_SAVED,
            null);
  }
}
