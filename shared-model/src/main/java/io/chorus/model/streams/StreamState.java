package io.chorus.model.streams;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.chorus.model.llm.StartCompletion;
import io.vertx.core.json.JsonObject;

/**
 * An answer being generated, as the cluster knows it: which worker owns it, and the text published to
 * the room so far up to chunk {@code index} (-1 before the first chunk). Text so far plus the chunks
 * with a higher index is the final content, exactly. {@code assistantId} (null for an older worker) is the
 * profile answering, so whoever ends the stream stores the answer under it.
 */
public record StreamState(
    String streamId,
    String conversationId,
    String replyTo,
    String userId,
    String workerId,
    long index,
    String text,
    int promptChars,
    String assistantId)
    implements JsonRecord {

  public StreamState(String streamId, String conversationId, String replyTo, String userId, String workerId,
      long index, String text, int promptChars) {
    this(streamId, conversationId, replyTo, userId, workerId, index, text, promptChars, null);
  }

  /** A stream a worker has just taken, before any chunk. */
  public static StreamState started(StartCompletion start, String workerId) {
    return new StreamState(start.streamId(), start.conversationId(), start.replyTo(), start.userId(), workerId, -1, "",
        0, start.assistantId());
  }

  public StreamState withProgress(long index, String text) {
    return new StreamState(streamId, conversationId, replyTo, userId, workerId, index, text, promptChars,
        assistantId);
  }

  public StreamState withPromptChars(int chars) {
    return new StreamState(streamId, conversationId, replyTo, userId, workerId, index, text, chars, assistantId);
  }

  public static StreamState fromJson(JsonObject json) {
    Long index = Fields.optLong(json, "index");
    Integer promptChars = Fields.optInt(json, "promptChars");
    return new StreamState(
        Fields.string(json, "streamId"),
        Fields.string(json, "conversationId"),
        Fields.string(json, "replyTo"),
        Fields.optString(json, "userId"),
        Fields.string(json, "workerId"),
        index == null ? -1 : index,
        json.getString("text", ""),
        promptChars == null ? 0 : promptChars,
        Fields.optString(json, "assistantId"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("streamId", streamId)
        .put("conversationId", conversationId)
        .put("replyTo", replyTo)
        .put("workerId", workerId)
        .put("index", index)
        .put("text", text)
        .put("promptChars", promptChars);
    Fields.putIfPresent(json, "assistantId", assistantId);
    return Fields.putIfPresent(json, "userId", userId);
  }

  /** The contract's {@code streams[]} item of a history reply. */
  public JsonObject snapshot() {
    return new JsonObject().put("streamId", streamId).put("replyTo", replyTo).put("index", index).put("text", text);
  }
}
