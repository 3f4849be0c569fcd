package io.chorus.chat;

import io.chorus.model.ErrorCode;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.Usage;
import io.chorus.model.streams.StreamRegistry;
import io.chorus.model.streams.StreamState;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends streams whose worker can no longer end them itself: the worker died (its lease ran out) or cannot
 * be reached for a stop. Claiming the stream in the registry first makes sure only one node publishes
 * its terminal event; the text that reached the room is stored from the registry's copy.
 */
final class StreamEnder {
  private static final Logger log = LoggerFactory.getLogger(StreamEnder.class);

  private final StreamRegistry registry;
  private final ChatPorts ports;

  StreamEnder(StreamRegistry registry, ChatPorts ports) {
    this.registry = registry;
    this.ports = ports;
  }

  /** Ends every orphaned stream with a 503 error, keeping its partial text. */
  Future<Void> endOrphans() {
    return registry.orphans().compose(orphans -> Future.join(orphans.stream()
        .map(id -> registry.claim(id).compose(state -> state == null ? Future.succeededFuture()
            : endFailed(state, "the assistant worker stopped responding")))
        .toList())).mapEmpty();
  }

  /** Ends a claimed stream as failed, storing its partial text when there is some. */
  Future<Void> endFailed(StreamState state, String reason) {
    int code = ErrorCode.UNAVAILABLE.code();
    log.warn("conversation={} stream={} ended by chat after its worker {} was lost at chunk {}",
        state.conversationId(), state.streamId(), state.workerId(), state.index());
    if (state.text().isEmpty()) {
      ports.publish(state.conversationId(),
          RoomEvents.aiError(state.conversationId(), state.streamId(), code, reason, null));
      return Future.succeededFuture();
    }
    return ports.append(AppendMessage.assistantError(state.conversationId(), state.replyTo(), state.streamId(),
            state.text(), code, reason, usageOf(state)))
        .map(stored -> stored.message().toEvent())
        .otherwise(err -> RoomEvents.aiError(state.conversationId(), state.streamId(), code, reason, null))
        .onSuccess(event -> ports.publish(state.conversationId(), event))
        .mapEmpty();
  }

  /** Ends a claimed stream as a member's stop would have: cancelled, the text so far kept. */
  Future<Void> endCancelled(StreamState state) {
    return ports.append(AppendMessage.assistant(state.conversationId(), state.replyTo(), state.streamId(),
            state.text(), "cancelled", usageOf(state)))
        .onSuccess(stored -> ports.publish(state.conversationId(), stored.message().toEvent()))
        .mapEmpty();
  }

  private static Usage usageOf(StreamState state) {
    return Usage.estimated(state.promptChars(), state.text().length());
  }
}
