package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A conversation with its members, its last persisted seq, when it last saw activity (ISO-8601) and its
 * assistant's profile id (null for a conversation created before assistants: the first profile answers), and
 * whether the assistant answers every member message ({@code answersEveryMessage}).
 *
 * <p>As one member sees it ({@code viewer} set): that member's read marker, how many messages after it others
 * wrote ({@link #MAX_UNREAD} at most), and the last message ({@link LastMessage}, null when none). A
 * conversation read for nobody in particular has no viewer and none of these.
 */
public record ConversationInfo(
    String conversationId, String title, String ownerId, List<UserInfo> members, long lastSeq, String lastActivityAt,
    String assistantId, boolean answersEveryMessage, Viewer viewer)
    implements JsonRecord {

  /** Unread counts stop here: a badge says "999", and counting further would read every unread row. */
  public static final int MAX_UNREAD = 999;

  /** The calling member's view of the conversation. */
  public record Viewer(long lastReadSeq, int unreadCount, LastMessage lastMessage) {}

  /** Without an assistant of its own. */
  public ConversationInfo(String conversationId, String title, String ownerId, List<UserInfo> members, long lastSeq,
      String lastActivityAt) {
    this(conversationId, title, ownerId, members, lastSeq, lastActivityAt, null);
  }

  /** With an assistant, as nobody in particular sees it. */
  public ConversationInfo(String conversationId, String title, String ownerId, List<UserInfo> members, long lastSeq,
      String lastActivityAt, String assistantId) {
    this(conversationId, title, ownerId, members, lastSeq, lastActivityAt, assistantId, false, null);
  }

  /** The same conversation with the last message shown as {@code lastMessage} (e.g. the assistant named). */
  public ConversationInfo withLastMessage(LastMessage lastMessage) {
    return viewer == null ? this : new ConversationInfo(conversationId, title, ownerId, members, lastSeq,
        lastActivityAt, assistantId, answersEveryMessage,
        new Viewer(viewer.lastReadSeq(), viewer.unreadCount(), lastMessage));
  }

  public static ConversationInfo fromJson(JsonObject json) {
    JsonArray members = json.getJsonArray("members", new JsonArray());
    Long lastReadSeq = Fields.optLong(json, "lastReadSeq");
    Viewer viewer = lastReadSeq == null ? null : new Viewer(lastReadSeq,
        json.getInteger("unreadCount", 0), LastMessage.fromJson(json.getJsonObject("lastMessage")));
    return new ConversationInfo(
        Fields.string(json, "conversationId"),
        Fields.string(json, "title"),
        Fields.string(json, "ownerId"),
        members.stream().map(m -> UserInfo.fromJson((JsonObject) m)).toList(),
        Fields.longValue(json, "lastSeq"),
        Fields.optString(json, "lastActivityAt"),
        Fields.optString(json, "assistantId"),
        Fields.bool(json, "answersEveryMessage", false),
        viewer);
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
        .put("lastSeq", lastSeq)
        .put("answersEveryMessage", answersEveryMessage);
    if (viewer != null) {
      json.put("lastReadSeq", viewer.lastReadSeq())
          .put("unreadCount", viewer.unreadCount())
          .put("lastMessage", viewer.lastMessage() == null ? null : viewer.lastMessage().toJson());
    }
    Fields.putIfPresent(json, "assistantId", assistantId);
    return Fields.putIfPresent(json, "lastActivityAt", lastActivityAt);
  }
}
