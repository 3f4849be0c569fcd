package io.chorus.chat;

import io.chorus.model.ErrorCode;
import io.chorus.model.Fields;
import io.chorus.model.assistants.AssistantCatalog;
import io.chorus.model.assistants.AssistantProfile;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UserInfo;
import io.chorus.model.streams.StreamEndings;
import io.chorus.model.streams.StreamOutcome;
import io.chorus.model.streams.StreamRegistry;
import io.chorus.model.streams.StreamState;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends streams whose worker can no longer end them itself: the worker died (its lease ran out) or cannot
 * be reached for a stop. Claiming the stream in the registry first makes sure only one node publishes
 * its terminal event; the text that reached the room is stored from the registry's copy, as the worker
 * would have stored it ({@link StreamEndings}), under the assistant profile that was answering.
 */
final class StreamEnder {
  private static final Logger log = LoggerFactory.getLogger(StreamEnder.class);

  private final StreamRegistry registry;
  private final ChatPorts ports;
  private final AssistantCatalog assistants;

  StreamEnder(StreamRegistry registry, ChatPorts ports, AssistantCatalog assistants) {
    this.registry = registry;
    this.ports = ports;
    this.assistants = assistants;
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
    log.warn("conversation={} stream={} ended by chat after its worker {} was lost at chunk {}",
        state.conversationId(), state.streamId(), state.workerId(), state.index());
    return end(state, StreamOutcome.failed(ErrorCode.UNAVAILABLE.code(), reason, usageOf(state)));
  }

  /** Ends a claimed stream as the member's stop ({@code by}) would have: cancelled, the text so far kept. */
  Future<Void> endCancelled(StreamState state, UserInfo by) {
    return end(state, StreamOutcome.stopped(usageOf(state), by));
  }

  private Future<Void> end(StreamState state, StreamOutcome outcome) {
    String assistantId = state.assistantId();
    AssistantProfile profile = assistantId == null ? null : assistants.find(assistantId);
    String model = profile == null ? null : profile.model();
    return StreamEndings.end(state, outcome,
            message -> ports.append(assistantId == null ? message : message.answeredBy(assistantId, model))
                .map(AppendResult::message))
        .onSuccess(ending -> {
          if (assistantId != null && !ending.event().containsKey("assistantId")) {
            Fields.putIfPresent(ending.event().put("assistantId", assistantId), "model", model);
          }
          if (ending.storeFailure() != null) {
            log.warn("conversation={} stream={}: its text could not be stored: {}", state.conversationId(),
                state.streamId(), ending.storeFailure().toString());
          }
          ports.publish(state.conversationId(), ending.event());
        })
        .mapEmpty();
  }

  private static Usage usageOf(StreamState state) {
    return Usage.estimated(state.promptChars(), state.text().length());
  }
}
