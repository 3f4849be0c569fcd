package io.chorus.model.llm;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** A worker took the stream. */
public record CompletionAccepted(String streamId) implements JsonRecord {
  public static CompletionAccepted fromJson(JsonObject json) {
    return new CompletionAccepted(Fields.string(json, "streamId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("streamId", streamId);
  }
}
