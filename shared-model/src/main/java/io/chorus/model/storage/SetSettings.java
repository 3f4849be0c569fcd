package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A member ({@code actorId}) sets how the assistant takes part in the conversation: {@code answersEveryMessage}
 * makes every member message a question to it. Stored with a {@code conversation_settings_changed} notice.
 */
public record SetSettings(String conversationId, String actorId, String actorUsername, boolean answersEveryMessage)
    implements JsonRecord {

  public static SetSettings fromJson(JsonObject json) {
    return new SetSettings(Fields.uuid(json, "conversationId"), Fields.uuid(json, "actorId"),
        Fields.optString(json, "actorUsername"), Fields.bool(json, "answersEveryMessage"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("conversationId", conversationId).put("actorId", actorId)
        .put("answersEveryMessage", answersEveryMessage);
    return Fields.putIfPresent(json, "actorUsername", actorUsername);
  }
}
