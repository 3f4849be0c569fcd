package io.chorus.model;

import io.vertx.core.json.JsonObject;

/** An empty reply or request: the operation happened. */
public record Ack() implements JsonRecord {
  public static final Ack INSTANCE = new Ack();

  public static Ack fromJson(JsonObject json) {
    return INSTANCE;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject();
  }
}
