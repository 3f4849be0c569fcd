package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A conversation's newest message as its list entry shows it: its seq, the room event's {@code type}
 * ({@code new_message}, {@code file_uploaded}, {@code ai_response_complete}, {@code ai_response_error}), its
 * author, and {@code preview}: the first {@link #PREVIEW_CHARS} characters of the text (a file's name; an
 * answer's text). An answer has no user: {@code username} is its assistant's name, {@code assistantId} its profile.
 */
public record LastMessage(long seq, String type, String userId, String username, String preview, String createdAt,
    String assistantId) implements JsonRecord {

  public static final int PREVIEW_CHARS = 140;

  /** The name an answer shows when its assistant's profile is unknown. */
  public static final String ASSISTANT = "assistant";

  /** This answer as given by the assistant called {@code name}. */
  public LastMessage namedFor(String name) {
    return new LastMessage(seq, type, userId, name, preview, createdAt, assistantId);
  }

  public static LastMessage fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new LastMessage(Fields.longValue(json, "seq"), Fields.string(json, "type"), Fields.optString(json, "userId"),
        Fields.optString(json, "username"), Fields.optString(json, "preview"), Fields.optString(json, "createdAt"),
        Fields.optString(json, "assistantId"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("seq", seq).put("type", type).put("userId", userId)
        .put("username", username).put("preview", preview).put("createdAt", createdAt);
    return Fields.putIfPresent(json, "assistantId", assistantId);
  }
}
