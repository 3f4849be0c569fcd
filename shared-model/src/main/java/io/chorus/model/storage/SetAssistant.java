package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * A member ({@code actorId}) switches the conversation to the assistant profile {@code assistantId}, named
 * {@code assistantName} (the caller checked the profile exists; the name goes into the stored notice so
 * history reads "switched to Visa expert" even after the file changes).
 */
public record SetAssistant(
    String conversationId, String actorId, String actorUsername, String assistantId, String assistantName)
    implements JsonRecord {

  public static SetAssistant fromJson(JsonObject json) {
    return new SetAssistant(Fields.uuid(json, "conversationId"), Fields.uuid(json, "actorId"),
        Fields.optString(json, "actorUsername"), Fields.string(json, "assistantId"),
        Fields.string(json, "assistantName"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("conversationId", conversationId).put("actorId", actorId)
        .put("assistantId", assistantId).put("assistantName", assistantName);
    return Fields.putIfPresent(json, "actorUsername", actorUsername);
  }
}
