package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A conversation with its members, its last persisted seq, when it last saw activity (ISO-8601) and its
 * assistant's profile id (null for a conversation created before assistants: the first profile answers).
 */
public record ConversationInfo(
    String conversationId, String title, String ownerId, List<UserInfo> members, long lastSeq, String lastActivityAt,
    String assistantId)
    implements JsonRecord {

  /** Without an assistant of its own. */
  public ConversationInfo(String conversationId, String title, String ownerId, List<UserInfo> members, long lastSeq,
      String lastActivityAt) {
    this(conversationId, title, ownerId, members, lastSeq, lastActivityAt, null);
  }

  public static ConversationInfo fromJson(JsonObject json) {
    JsonArray members = json.getJsonArray("members", new JsonArray());
    return new ConversationInfo(
        Fields.string(json, "conversationId"),
        Fields.string(json, "title"),
        Fields.string(json, "ownerId"),
        members.stream().map(m -> UserInfo.fromJson((JsonObject) m)).toList(),
        Fields.longValue(json, "lastSeq"),
        Fields.optString(json, "lastActivityAt"),
        Fields.optString(json, "assistantId"));
  }

  public boolean hasMember(String userId) {
    return members.stream().anyMatch(m -> m.userId().equals(userId));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("conversationId", conversationId)
        .put("title", title)
        .put("ownerId", ownerId)
        .put("members", new JsonArray(members.stream().map(UserInfo::toJson).toList()))
        .put("lastSeq", lastSeq);
    Fields.putIfPresent(json, "assistantId", assistantId);
    return Fields.putIfPresent(json, "lastActivityAt", lastActivityAt);
  }
}
