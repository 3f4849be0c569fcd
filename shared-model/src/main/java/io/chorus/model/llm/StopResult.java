package io.chorus.model.llm;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** The answer was stopped; its terminal event has been published. */
public record StopResult(boolean stopped) implements JsonRecord {
  public static StopResult fromJson(JsonObject json) {
    return new StopResult(Fields.bool(json, "stopped", false));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("stopped", stopped);
  }
}
