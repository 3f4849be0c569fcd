package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Creates a conversation owned by {@code ownerId} with the named members (404 for an unknown name) and the
 * assistant profile {@code assistantId} (checked against the profiles by the caller; null: none recorded), where
 * the assistant answers every member message when {@code answersEveryMessage}.
 */
public record CreateConversation(String ownerId, String title, List<String> memberUsernames, String assistantId,
    boolean answersEveryMessage)
    implements JsonRecord {
  public CreateConversation(String ownerId, String title, List<String> memberUsernames) {
    this(ownerId, title, memberUsernames, null);
  }

  public CreateConversation(String ownerId, String title, List<String> memberUsernames, String assistantId) {
    this(ownerId, title, memberUsernames, assistantId, false);
  }

  public static CreateConversation fromJson(JsonObject json) {
    return new CreateConversation(Fields.uuid(json, "ownerId"), Fields.string(json, "title"),
        Fields.stringList(json, "members"), Fields.optString(json, "assistantId"),
        Fields.bool(json, "answersEveryMessage", false));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("ownerId", ownerId).put("title", title)
        .put("members", new JsonArray(memberUsernames)).put("answersEveryMessage", answersEveryMessage);
    return Fields.putIfPresent(json, "assistantId", assistantId);
  }
}
