package io.chorus.llm;

import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a {@link StreamSession} needs from the rest of Chorus: the conversation's latest messages, storing
 * the answer, and the room. {@link BusConversationPort} is the event-bus implementation; tests use fakes.
 */
public interface ConversationPort {

  /**
   * The latest {@code limit} stored messages of the conversation up to and including seq {@code upToSeq} (the
   * latest of all when null), ascending by seq.
   */
  Future<List<StoredMessage>> messagesUpTo(String conversationId, Long upToSeq, int limit);

  /** Appends a message and returns it as stored, with its seq. */
  Future<StoredMessage> append(AppendMessage message);

  /** Publishes a room event to every member of the conversation. */
  void publish(String conversationId, JsonObject event);
}
