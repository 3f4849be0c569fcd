package io.chorus.model.storage;

import io.chorus.model.Fields;
import io.chorus.model.JsonRecord;
import io.vertx.core.json.JsonObject;

/** Token counts of one answer; {@code estimated} when the provider did not report them. */
public record Usage(int promptTokens, int completionTokens, boolean estimated) implements JsonRecord {
  /** Roughly four characters of text per token: the estimate used when a provider reports no usage. */
  public static Usage estimated(int promptChars, int completionChars) {
    return new Usage((promptChars + 3) / 4, (completionChars + 3) / 4, true);
  }

  public static Usage fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    Integer prompt = Fields.optInt(json, "promptTokens");
    Integer completion = Fields.optInt(json, "completionTokens");
    return new Usage(
        prompt == null ? 0 : prompt, completion == null ? 0 : completion, Fields.bool(json, "estimated", false));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("promptTokens", promptTokens).put("completionTokens", completionTokens);
    if (estimated) {
      json.put("estimated", true);
    }
    return json;
  }
}
