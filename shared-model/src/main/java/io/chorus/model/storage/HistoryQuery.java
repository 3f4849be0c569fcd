package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A page of persisted events, ascending by seq: after {@code afterSeq}, or the last ones before
 * {@code beforeSeq}, or the latest when neither is set. Made by {@link #forMember} (the reader must be a
 * member: 403/404) or {@link #internal} (a service reading for itself: no membership check).
 *
 * <p>On the wire an internal query is one without {@code userId}. That is safe because only services
 * reach {@code storage.*} addresses (none crosses the bridge), and it keeps the JSON as it was; in code
 * the privilege has a name ({@link #internal}, {@link #isInternal}), so no caller grants it by leaving a field null.
 */
public record HistoryQuery(String conversationId, String userId, Long afterSeq, Long beforeSeq, int limit)
    implements JsonRecord {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  /**
   * A member's page holds at most this many bytes of message text (UTF-8), so it may hold fewer than {@code limit}
   * events, never none: 500 of the longest messages would be tens of MB in one reply, held by every service on its
   * way and by a socket that reads slowly. Clients page on from the last (or first) seq they got. Half the default
   * {@code SOCKET_QUEUE_BYTES}, so a page and the live events around it fit what a socket may hold.
   */
  public static final long MEMBER_PAGE_BYTES = 512 * 1024;

  /** A member reads: storage answers 403 for a non-member and 404 for an unknown conversation. */
  public static HistoryQuery forMember(String conversationId, String userId, Long afterSeq, Long beforeSeq,
      int limit) {
    return new HistoryQuery(conversationId, Objects.requireNonNull(userId, "userId"), afterSeq, beforeSeq, limit);
  }

  /**
   * A service reads for itself (an LLM worker's context, a gateway filling a gap in a room it already
   * serves): no membership check.
   */
  public static HistoryQuery internal(String conversationId, Long afterSeq, Long beforeSeq, int limit) {
    return new HistoryQuery(conversationId, null, afterSeq, beforeSeq, limit);
  }

  /** True for a service reading for itself: storage skips the membership check. */
  public boolean isInternal() {
    return userId == null;
  }

  public static HistoryQuery fromJson(JsonObject json) {
    Integer limit = Fields.optInt(json, "limit");
    return new HistoryQuery(
        Fields.uuid(json, "conversationId"),
        Fields.optString(json, "userId"),
        Fields.optLong(json, "afterSeq"),
        Fields.optLong(json, "beforeSeq"),
        limit == null ? DEFAULT_LIMIT : limit);
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("conversationId", conversationId).put("limit", limit);
    Fields.putIfPresent(json, "userId", userId);
    Fields.putIfPresent(json, "afterSeq", afterSeq);
    return Fields.putIfPresent(json, "beforeSeq", beforeSeq);
  }
}
