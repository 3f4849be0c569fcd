package io.chorus.model.events;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/**
 * An event for one user rather than a room, as published on {@link io.chorus.model.Addresses#PERSONAL_EVENTS}:
 * every gateway hears it and hands {@code event} to that user's sockets on {@code client.user.<userId>}.
 */
public record PersonalEvent(String userId, JsonObject event) implements JsonRecord {
  public static PersonalEvent fromJson(JsonObject json) {
    return new PersonalEvent(Fields.uuid(json, "userId"), json.getJsonObject("event"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("event", event);
  }
}
