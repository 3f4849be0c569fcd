package io.chorus.model.llm;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.json.JsonObject;

/**
 * A member stops an answer ({@code client.chat.stop}); {@code userId} and {@code username} are stamped by the
 * gateway, and the stopped answer says who stopped it ({@code stoppedBy}).
 */
public record StopStream(String conversationId, String streamId, String userId, String username)
    implements JsonRecord {
  public StopStream(String conversationId, String streamId, String userId) {
    this(conversationId, streamId, userId, null);
  }

  /** Who stopped it, as the stopped answer shows it; null when the request names nobody. */
  public UserInfo stoppedBy() {
    return userId == null ? null : new UserInfo(userId, username);
  }

  public static StopStream fromJson(JsonObject json) {
    return new StopStream(Fields.uuid(json, "conversationId"), Fields.string(json, "streamId"),
        Fields.optString(json, "userId"), Fields.optString(json, "username"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("conversationId", conversationId).put("streamId", streamId);
    Fields.putIfPresent(json, "username", username);
    return Fields.putIfPresent(json, "userId", userId);
  }
}
