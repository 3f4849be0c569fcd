package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Creates a conversation owned by {@code ownerId} with the named members (404 for an unknown name). */
public record CreateConversation(String ownerId, String title, List<String> memberUsernames) implements JsonRecord {
  public static CreateConversation fromJson(JsonObject json) {
    return new CreateConversation(
        Fields.uuid(json, "ownerId"), Fields.string(json, "title"), Fields.stringList(json, "members"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("ownerId", ownerId).put("title", title).put("members", new JsonArray(memberUsernames));
  }
}
